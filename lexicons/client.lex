# client.lex: the client's own words for or against change, after the MISC
# 2.5 client codes (Desire, Ability, Reasons, Need, Commitment, Activation,
# Taking steps; "+" change talk, "-" sustain talk).
#
# MISC codes talk about the target behaviour only; words cannot know the
# target, so these rules catch first-person statements of wanting, being
# able, needing and committing, whatever they are about. Read them on the
# client's rows of the reports. Written for dyad from the MISC definitions;
# see lexicons/README.md.

[change_talk] Client speech for change: desire, ability, reasons, need, commitment, steps taken (MISC change talk, DARN-CAT +)

# MISC 2.5 Desire (+): the client wants, wishes or hopes for change.
i want to
i really want to
i wanna
i really wanna
i'd like to
i would like to
i'd love to
i wish i could
i wish i
i hope to
i'm hoping to
i really hope
i want things to
i want my life
i want to be
/\bi (?:don't|do not|really don't) (?:want to|wanna) (?:keep|continue|go back|go through|end up|lose|die|be|feel like this|live like|hurt|disappoint|let|get in trouble|screw|mess|ruin)\b/

# MISC 2.5 Ability (+): the client could change.
i can do this
i can do it
i could do that
i could do it
i could try
i could cut
i could stop
i could start
i could quit
i can cut
i can stop
i can quit
i can change
i'm able to
i was able to
i'd be able to
i think i can
i know i can
i can manage
i can handle
i could manage
i could handle
i've done it before
i did it before

# MISC 2.5 Reasons (+): why change would be good, or what the behaviour
# costs.
i'd feel better
i would feel better
i'd be healthier
i'd have more
i'd sleep better
i'd save
so that i can
so i can
for my kids
for my family
for my health
better for me
i'm tired of
i'm sick of
sick and tired
it's hurting
it's costing me
it's ruining
it's affecting
it's not worth it
i hate what
i don't like who i
be a better

# MISC 2.5 Need (+): the client must, should or needs to change.
i need to
i really need to
i have to
i've got to
i gotta
i must
i should
i really should
i ought to
something has to change
something's got to change
something needs to change
things have to change
things need to change
i can't keep
i can't go on
i can't live like this
i can't do this anymore
i can't take it anymore
it's time to
it's time for me

# MISC 2.5 Commitment and Activation (+): the client says they will, or are
# ready or willing to.
i will
i'll try
i'll do it
i'll give it
i'll stop
i'll quit
i'll cut
i'll start
i'll call
i'll talk to
i'll make
i'll look into
i'm going to try
i'm going to stop
i'm going to quit
i'm going to cut
i'm going to start
i'm going to call
i'm going to talk to
i'm going to make
i'm gonna try
i'm gonna stop
i'm gonna quit
i'm gonna cut
i'm gonna start
i'm ready
i'm willing
i'm committed
i'm determined
i've decided
i decided to
i plan to
i'm planning to
i intend to
i promise

# MISC 2.5 Taking steps (+): the client reports something already done
# toward change.
i've started
i've cut
i cut back
i cut down
i've stopped
i've quit
i poured
i threw out
i threw away
i signed up
i made an appointment
i've been going to
i haven't had a drink
i haven't had a cigarette
i haven't smoked
i haven't used
i didn't drink
i didn't smoke
i didn't use
i've been sober
i've been clean
/\bi (?:haven't|have not) (?:smoked|drunk|drank|used|touched|answered|been drinking|been smoking|been using)\b/
/\bi(?:'ve| have)(?: been| already| also| really)* (?:walking|exercising|cutting back|cutting down|doing pretty well|doing better|doing well|drinking less|smoking less|working on it)\b/

# MISC 2.5 Ability (+), hedged ("I could probably do that", "I can try",
# "I could at least try going back to one drink"); not "I can't", "I could
# never", nor "I can see / tell / imagine", which are not about changing.
/\bi (?:could|can)(?: probably| maybe| definitely| at least| just| also| really| still| actually)* (?!not\b|never\b|see\b|tell\b|say\b|remember\b|imagine\b|understand\b|think\b|help\b|guess\b|hear\b|feel\b|relate\b)\w/

# MISC 2.5 Desire and Reasons (+): a long-held wish, a dislike of what the
# behaviour brings ("I've been wanting to for years", "I don't like when I
# get sick in the mornings", "I'm just tired of getting in trouble"), and
# Commitment ("I'll do anything to get my kids back").
/\bi(?:'ve| have) been (?:wanting|meaning|hoping) to\b/
/\bi (?:don't|do not|really don't) like (?:when|that|it when|how|the way|being|feeling|having|getting|waking)\b/
/\bi'm (?:just |really |so |getting )(?:tired|sick) of\b/
/\bi(?:'ll|'d| will| would) do anything\b/

# MISC 2.5 Commitment (+) in the negative: the client will not do the
# behaviour ("I'm not going to drink this weekend").
/\bi(?:'m not going to|'m not gonna| am not going to| won't| will not) (?:drink|smoke|use|gamble|buy|go back)\b/

# Not change talk: wanting, needing or planning to go on as before (the
# sustain_talk category counts these), "I will not" about anything else, and
# "I have to" in a question or a figure of speech ("Do I have to?", "I have
# to say...").
! /\b(?:i want to|i'd like to|i would like to|i'm going to|i'm gonna|i will|i'll|i plan to|i need to|i have to)(?: just)? (?:keep|continue|carry on|go on)(?: on)? (?:drinking|using|smoking|vaping|gambling|doing what i'm doing|doing what i do)\b/
! /\bneed (?:a drink|to drink|a smoke|to smoke|a cigarette|to use|a hit|my drink|my drinks)\b/
! /\b(?:want|like|love) to (?:drink|smoke|use|get high|get drunk|party|gamble)\b/
! /\bi will not\b(?! (?:drink|smoke|use|gamble|buy|go back)\b)/
! /\b(?:do |did )?i have to (?:say|admit|laugh|think|go|work|be honest|tell you)\b/
! do i have to
! do i need to

[sustain_talk] Client speech against change: no desire, inability, reasons to stay, no need, no commitment (MISC sustain talk, DARN-CAT -)

# MISC 2.5 Desire (-): the client does not want change, or wants the
# behaviour.
i don't want to
i do not want to
i don't wanna
i'd rather not
i'd rather keep
i'm not interested
i like drinking
i like smoking
i enjoy drinking
i enjoy smoking
i love drinking
i like it
i enjoy it
/\bi (?:really )?(?:want|like|love) to (?:drink|smoke|use|get high|get drunk|party|gamble)\b/

# MISC 2.5 Ability (-): the client cannot change.
/\bi (?:can't|cannot|couldn't|could never|can never)(?: really| just| ever| possibly)? (?:stop|quit|cut|give (?:it )?up|do (?:it|that|this|without)|change|see myself|handle|manage|live without|function without|sleep without|relax without|cope without|get through|go without|make it|say no|resist)\b/
i'm not able to
i wouldn't be able
i won't be able
/\bi (?:just |really |honestly )?(?:don't|do not) (?:think|know if|know whether) i (?:can|could)\b/
it's too hard
too hard
i've tried everything
i tried before
i've tried before
nothing works

# MISC 2.5 Reasons (-): the behaviour helps, or change costs too much.
it helps me
it relaxes me
it calms me
it takes the edge off
it's how i relax
it's the only thing
a good way to relax
helps me relax
# MISC 2.5 Need (-) and Ability (-): the behaviour is small, change is
# harder than it sounds ("I don't drink that much", "easier said than done"),
# and Desire (-) about giving it up ("I don't want to give that up").
/\bi (?:don't|do not)(?: really)? (?:drink|smoke|use)(?: it)? (?:that|very|too) (?:much|often)\b/
easier said than done
/\bi (?:don't|do not|really don't|definitely don't)(?: really)? (?:want to|wanna) give (?:that|it|them|this) up\b/
it's not that bad
not that bad
not a big deal
no big deal
it's not a problem
i'm fine
everybody does it
everyone does it
all my friends
i'm not an alcoholic
i don't have a problem
i'm not hurting anyone
i'm not hurting anybody
i deserve it
i've earned it
what's the point
there's no point

# MISC 2.5 Need (-): no need to change, or a need for the behaviour.
/\bi (?:don't|do not)(?: really)? (?:need|have) to (?:stop|quit|change|cut|give (?:it )?up|do anything)\b/
i don't see why
i don't see the point
i don't see a problem
there's no reason
no reason to
why should i
i don't think i need
/\bneed (?:a drink|to drink|a smoke|to smoke|a cigarette|to use|a hit|my drink|my drinks)\b/

# MISC 2.5 Commitment (-): the client will not change, or not now.
/\bi(?:'m not going to|'m not gonna| won't| will not| am not going to)(?: ever)? (?:stop|quit|change|give (?:it )?up|cut|do (?:it|that|this|anything)|try|bother)\b/
i'm not ready
not ready
i'm not willing
i'll keep
i'm going to keep
i'm gonna keep
/\b(?:keep|continue|carry on|go on)(?: on)? (?:drinking|using|smoking|vaping|gambling|doing what i'm doing|doing what i do)\b/
maybe later
not now
not yet

# Not sustain talk: "I can't do this anymore", "I don't want to keep doing
# this" and "I won't drink" argue for change (change_talk counts them);
# "keep trying" is persistence.
! i can't do this anymore
! /\b(?:not going to|not gonna|won't|will not) (?:drink|smoke|use|gamble|buy|go back)\b/
! /\b(?:don't|do not|don't really) (?:want|wanna)(?: to)? (?:keep|continue|go back|go through|end up|lose|die|be|feel like this|live like|hurt|disappoint|let|get in trouble|screw|mess|ruin)\b/
! /\b(?:don't|do not|can't|cannot|won't|shouldn't|not going to|not gonna) (?:want to |wanna )?(?:keep|continue|carry on|go on) (?:drinking|using|smoking|vaping|gambling|like this|doing this)\b/
! keep trying
! keep working
! keep going to
! keep practicing
! keep practising
! keep at it
! keep it up
