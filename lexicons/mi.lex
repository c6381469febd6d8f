# mi.lex: what the therapist does, in the terms of Motivational Interviewing
# coding (MITI 4.2.1, MISC 2.5) and Self-Determination Theory: directive,
# collaborative, autonomy, reflection, affirm, self_disclosure.
#
# Written for dyad from the manuals' definitions (see lexicons/README.md for
# each category's sources, scope and limits). Rules count in every speaker's
# talk; these categories describe therapist behaviour, so read them on the
# therapist's rows of the reports.

[directive] Therapist tells the client what to do: orders, advice without permission, warnings, confrontation (MITI Persuade, Confront; MISC Direct, Warn, Advise and Raise Concern without permission)

# MISC 2.5 Direct, and Reeve's controlling "should / have to / must" (SDT):
# an obligation put on the listener.
you should
you shouldn't
you must
you mustn't
you need to
you have to
you've got to
you have got to
you gotta
you got to
you ought to
you'd better
you had better
you better
you really should
you really need to
you really have to
you really must
you just need to
you just have to
you definitely need to
you absolutely need to
you'll need to
you will need to
you'll have to
you will have to
you're going to have to
you're gonna have to
you're going to need to
all you need to do
what you need to do
what you have to do
what you should do

# MISC 2.5 Direct, Reeve's controlling language: the therapist states what
# they want the client to do.
i want you to
i need you to
i'd like you to
i would like you to
i'm asking you to
i'm going to ask you to
i expect you to
i'm telling you

# MITI 4.2.1 Persuade, MISC 2.5 Advise without permission: advice and
# recommendations the client did not ask for. Words cannot show whether
# permission was asked earlier (see README).
/\bi(?:'d| would)?(?: really| strongly| definitely| highly)? (?:recommend|suggest|advise|encourage you)\b/
my recommendation
my suggestion
my advice
why don't you
the best thing you can do
the best thing to do
the best thing for you
you'd be better off
you would be better off
you'll be better off
it's important that you
it's important for you to
it's really important that you
it is important that you
trust me
take it from me

# MISC 2.5 Warn: "implying negative consequences unless the client takes a
# certain action".
or else
you'll end up
you will end up
you're going to end up
you're gonna end up
you'll regret
you're going to regret
you'll be sorry
you're risking
you are risking
you're killing yourself
going to kill you
gonna kill you
will kill you
/\b(?:if|unless) you\b.*\b(?:you'll|you will|you're going to|you are going to|you're gonna|you could|you might|it'll|it will|it's going to|it's gonna|that'll|that will)\b.*\b(?:lose|losing|lost|end up|regret|die|dying|dead|kill|hurt|harm|damage|worse|relapse|fail|risk|sick|trouble|hospital|jail|prison|ruin|destroy)\b/

# MITI 4.2.1 Confront, MISC 2.5 Confront: arguing, labelling, shaming,
# moralising.
you're in denial
you are in denial
you're kidding yourself
you're fooling yourself
you're lying to yourself
^be honest with yourself
^admit it
^face it
let's face it
face the facts
face the fact
you're an alcoholic
you are an alcoholic
you're an addict
you are an addict
you have a problem
you've got a problem
whether you like it or not
like it or not
how many times have i told you
how many times do i have to
that's just an excuse
that's an excuse
no excuses
^come on

# MISC 2.5 Raise Concern without permission: pointing out a problem with the
# client's plan.
that won't work
that's not going to work
that's never going to work
that's a bad idea
that's not a good idea
i don't think that's a good idea
i don't think that will work
i don't think that's going to work

# MISC 2.5 Direct ("the language is imperative"), Reeve's "Do this; do
# that": an imperative verb at a sentence start. Keep this list and the
# regex below in step.
^try
^go
^write
^call
^remember
^stop
^avoid
^keep
^make
^take
^think about
^think of
^don't
^do not
^do it
^do this
^do that
^do something
^start
^quit
^cut
^put
^use
^practice
^practise
^focus
^pay attention
^tell
^ask
^give
^read
^drink
^eat
^breathe
^relax
^calm down
^let go
^let it go
^let him
^let her
^let them
^let yourself
^leave
^forget
^ignore
^accept
^remind yourself
^bring
^come back
^stick
^show up
^follow
^schedule
^set
^sign up
^join
^commit
^replace
^challenge
^get
^be
^please
^listen
^look at
^promise me
# The same imperatives after a discourse word or "just" ("So try...",
# "Okay, now write it down", "Just stop").
/^(?:(?:so|okay|ok|now|and|well|alright|then|but|please|just) )+(?:try|go|write|call|remember|stop|avoid|keep|make|take|think about|think of|don't|do not|do it|do this|do that|do something|start|quit|cut|put|use|practice|practise|focus|pay attention|tell|ask|give|read|drink|eat|breathe|relax|calm down|let go|let it go|let him|let her|let them|let yourself|leave|forget|ignore|accept|remind yourself|bring|come back|stick|show up|follow|schedule|set|sign up|join|commit|replace|challenge|get|be|listen|look at|promise me)\b/

# Not directive: invitations to talk (MISC 2.5 codes them as open questions),
# permission to go on, and talk about the session itself (MITI 4.2.1:
# Structuring is not coded).
! tell me
! tell us
! say more
! give me an example
! give me a sense
! go ahead
! go on
! keep going
! keep talking
! take your time
! take a moment
! take as long as
! make sense
! stop me if
! come on in
! start wherever
! start anywhere
! /\b(?:you to|why don't you)(?: start by| just)? (?:tell me|telling me|tell us|say more|share|sharing|describe|explain|walk me through|help me understand|talk about|talking about|fill me in|know)\b/

# Not directive: a client's answer with the "I" left out ("Don't know.",
# "Don't think so.").
! ^don't know
! ^dont know
! ^don't think so
! ^don't care
! ^don't remember
! ^don't really
! ^don't get me wrong

# Not directive: autonomy-supportive negations (MITI 4.2.1 Emphasizing
# Autonomy: "you don't have to"); the autonomy category counts them.
! you don't have to
! you don't need to
! you do not have to
! you do not need to
! you don't ever have to
! you never have to
! you shouldn't have to
! don't have to
! don't need to

# Not directive: the same words inside a question ("Do you need to...?",
# "What do you think you should do?") or softened by wondering ("I wonder if
# you should..."). "Don't you think you should" stays directive.
! /\b(?:do|did|does|would|will|could|can|should|must|have|has|had) you(?: really| still| even| actually| just| ever)?(?: (?:think|feel|believe|say|know|sense|suppose)(?: like| that)? you)?\b/
! /\bwonder(?:ing)? (?:if|whether) you\b/

# Not directive: reflecting or reporting someone else's obligation ("you
# feel you have to be perfect", "your mother says you should", "it sounds
# like you need to rest") rather than imposing one. "I think you should"
# stays directive.
! /(?<!\bi )(?<!\bi'd )(?<!\bi do )(?<!\bi really )(?<!\bi just )(?<!\bi would )(?<!\bwe )\b(?:feel|feels|felt|feeling|think|thinks|thought|thinking|believe|believes|believed|say|says|said|saying|tell|tells|told|telling|expect|expects|expected|decided|realize|realized|realise|realised|worry|worried|sense|hear|heard)(?: like| that| as if)?(?: you| yourself| me| him| her| them)? you\b/
! /\b(?:sound|sounds|sounded|seem|seems|seemed|looks) (?:like|as if|as though|that) you\b/

# Not directive: conditional offers ("if you need to talk, call me").
! if you need to
! if you have to
! if you ever need to
! when you need to
! when you have to
! whenever you need to
! as long as you need to
! as much as you need to
! whatever you need to
! if you must

# Not directive: "must" as a guess about feelings ("you must be
# exhausted") and "should" in praise ("you should be proud").
! /\byou must(?:'ve| (?:be|feel|have|like|love|know|think|mean|miss|hate|wonder|get))\b/
! you should be proud
! you should feel proud
! you should be really proud
! you should be very proud
! you should be so proud

[collaborative] Therapist shares power: asks for the client's views, permission and preferences, plans together, offers options (MITI Seeking Collaboration; OPTION)

# MITI 4.2.1 Seeking Collaboration: "explicitly attempts to share power or
# acknowledge the expertise of the client"; asking for the client's ideas.
what do you think
what are your thoughts
any thoughts
what's your sense
what do you make of
what's your take
how does that sound
does that sound okay
does that sound ok
does that sound all right
does that sound alright
how would you feel about
your ideas
i'd welcome your
you're the expert
you are the expert
what would be helpful
what would be most helpful
what would help
how can i help
how can i be helpful
how can i support you
where would you like to start
where do you want to start
what would you like to focus on
what do you want to focus on
what would you like to talk about
what do you want to talk about
would you like to
would it help
would it be helpful

# MITI 4.2.1 Seeking Collaboration: asking permission before giving advice
# or raising a topic ("Would it be alright if we spend some time...").
would it be okay if
would it be ok if
would it be alright if
would it be all right if
is it okay if
is it ok if
is it alright if
is it all right if
would you mind if
do you mind if
would you be okay with
can i share
could i share
may i share
can i offer
could i offer
may i offer
can i tell you
could i tell you
may i ask
can i ask
could i ask
would you be interested
are you interested in
would you be willing
are you open to
would you be open to

# MITI 4.2.1 Seeking Collaboration, Reeve (SDT) autonomy support: planning
# with the client rather than for the client.
let's
/\b(?:work|working|worked|do|doing|figure|figuring|look at|looking at|think|thinking|plan|planning|decide|deciding|come up with|go through|going through)\b(?: \w+){0,3} together\b/
in this together
in it together
as a team
we could
we can
we might
shall we
should we
how about we
what if we
we'll figure

# OPTION-12 items 2 and 4 (Elwyn et al. 2003): saying there is more than one
# way, and laying out options instead of prescribing one.
one option
another option
other options
a few options
some options
several options
a couple of options
your options
different options
a few ideas
some ideas
some people find
some people have found
other people have found
you could try
you might try
you could consider
you might consider
pros and cons

# Miner et al. 2022 checking for understanding; OPTION-12 items 8 and 9:
# the client gets the last word on what the therapist understood.
did i get that right
have i got that right
am i getting that right
did i understand that right
is that right
is that accurate
does that fit
does that sound right
correct me if
stop me if
let me make sure
let me know if
does that make sense
any questions
what questions do you have

[autonomy] Therapist leaves the choice with the client (MITI Emphasizing Autonomy; MISC Emphasize Control; SDT autonomy support)

# MITI 4.2.1 Emphasizing Autonomy, MISC 2.5 Emphasize Control: the decision
# belongs to the client ("It's really up to you").
up to you
up to the two of you
up to both of you
up to each of you
your choice
your decision
your call
you decide
you get to decide
you can decide
you get to choose
you can choose
whatever you decide
whatever you choose
if you decide
if you choose
the choice is yours
it's your life
you're in charge
you are in charge
in charge of your
you're in control
you are in control
in control of your
you're the one who
you are the one who
you're the only one who
only you can
no one can make you
nobody can make you
no one can force you
nobody can force you
no one else can
you know yourself best
you know yourself better
you know best
you know what's best
you have a choice
you have options
you have the right

# MITI 4.2.1 Emphasizing Autonomy, Reeve's non-controlling language:
# taking pressure off ("you don't have to").
you don't have to
you don't need to
you do not have to
you do not need to
you never have to
no pressure
feel free
you're free to
you are free to
take your time
in your own time
at your own pace
when you're ready
if you're ready
if and when
only if you want
if you want to
if you'd like
if you would like
if you prefer
if you'd rather
it's okay if you
it's ok if you
it's fine if you
it's alright if you
it's all right if you
you can always
you can change your mind
you can say no
not here to tell you
i'm not going to tell you what
i won't tell you what
it's not my place

# Reeve (SDT) autonomy-supportive questions: asking what the client wants
# ("What would you like to do?").
what would you like
what do you want to do
what would you prefer
which would you prefer
what do you prefer
how would you like to
what feels right
what works for you
what's right for you
what works best for you
whatever feels right
whatever works for you
your preference

[reflection] Therapist mirrors or interprets what the client said (MITI and MISC Simple and Complex Reflection)

# Can et al. 2016 ("It sounds like..."), Miner et al. 2022 checking for
# understanding: stems that present the client's meaning back to them.
sounds like
it sounds as if
sounds as though
seems like
it seems that
it seems as if
you seem
you sound
it looks like you
what i'm hearing
what i hear
i'm hearing
i hear you saying
i hear that
if i'm hearing you
if i understand
what you're saying
you're saying
so for you
for you it's

# MITI 4.2.1 Complex Reflection: naming a feeling or a wish, or both sides of
# the client's ambivalence ("Part of you...; on the other hand...").
you feel
you're feeling
you felt
you've been feeling
you've felt
you're worried
you're concerned
you're afraid
you're scared
you're frustrated
you're angry
you're tired of
you're fed up
you're overwhelmed
you're stuck
you're torn
you're not sure
you're wondering
you're thinking
you really want
you'd like to
you want to
you wish
you're hoping
part of you
on the one hand
on the other hand
that must be
that must have been
it's been hard
it's been really hard
it's been difficult
it's been tough

# MITI 4.2.1 and MISC 2.5 Reflection: a statement that says back what the
# client said, felt or meant; its grammatical mark is a declarative sentence
# about the client, "you" as its subject ("You've tried to quit before",
# "And you're not sure it's worth it"), alone or after a discourse word.
# Statements that tell the client what to do or what will happen to them
# ("you should", "you need to", "you'll") and the filler "you know" are
# excluded below.
/^(?:(?:so|and|but|okay|ok|well|yeah|yes|mm-hmm|mm|hmm|right|oh|um|uh|now|alright|and so) )*you(?:'re|'ve|'d)?\b/

# Can et al. 2016: "so" opening a summary of the client's words ("So you
# want to...", "So it's been hard"); "so" before a question or the
# therapist's own plan ("So what...", "So let's...", "So I...") is not one.
/^(?:(?:okay|ok|mm-hmm|mm|hmm|yeah|right|alright|and|well|uh-huh) )?so \S+/

# MITI 4.2.1 Complex Reflection, the double-sided reflection of
# ambivalence ("You want to quit, and at the same time...").
at the same time
and yet
on one hand

# MISC 2.5 Complex Reflection: naming what the client feels or values, or
# how things are for them ("It feels like...", "That's really important to
# you", "It's been hard for you"), or pointing back to what they said ("You
# mentioned...", "I get the sense that...").
feels like
it's like
it's almost like
kind of like
/\b(?:important|meaningful|valuable|hard|difficult|tough|scary|frustrating|stressful|painful|confusing|overwhelming|upsetting) (?:for|to) you\b/
/\b(?:matters|mattered|means|meant) (?:a lot |so much )?to you\b/
you mentioned
you said
you told me
you were saying
you've been saying
i get the sense
i get the feeling
i get the impression
my sense is
it strikes me
i can imagine
i imagine

# Not reflection: the client told what to do or what will happen ("you
# should", "you need to", "you'll", "you could"), the filler "you know",
# "you guys", and the politeness of "you're welcome" and "you're right".
! /^(?:(?:so|and|but|okay|ok|well|yeah|yes|mm-hmm|mm|hmm|right|oh|um|uh|now|alright|and so) )*you(?:'d| would| really| just)? (?:should|shouldn't|need to|needs to|have to|has to|must|could|can|might|may|will|won't|gotta|got to|ought|better|guys|know)\b/
! /^(?:(?:so|and|but|okay|ok|well|yeah|yes|mm-hmm|mm|hmm|right|oh|um|uh|now|alright|and so) )*you'll\b/
! you're welcome
! you're right

# Not a summary: "so" before a question, an invitation to talk, the
# therapist's own plan or thoughts, or a change of topic ("So what
# happened?", "So tell me...", "So let's...", "So I was wondering...").
! /^(?:(?:okay|ok|mm-hmm|mm|hmm|yeah|right|alright|and|well|uh-huh) )?so (?:what|what's|how|how's|why|when|where|who|which|do|does|did|don't|is|isn't|are|aren't|was|were|can|could|would|will|should|have|has|tell|let|let's|i|i'm|i'd|i'll|i've|we|we're|we'll|we've|um|uh|if|okay|ok|now|just|today|anyway|before|first|next|yeah|right|well)\b/

# Not reflection: the same stems inside a question ("How do you feel?",
# "Do you want to...?"; the question categories count those) or an offer
# ("if you'd like to").
! /\b(?:do|did|does|would|will|could|can|should|how|what|why|when|where|which|who) you\b/
! /\b(?:are|were|have) you (?:feeling|felt|been)\b/
! /\b(?:if|whatever|whenever) you(?:'d)? (?:want|like|wish|feel)\b/
! /\b(?:anything|something|things|everything|what|whatever) (?:that )?you(?:'d| would)? (?:like|want|wanna)\b/
! /\b(?:made|makes|make|making) you\b/

[affirm] Therapist recognises the client's strengths, efforts or values (MITI Affirm; MISC Affirm)

# MITI 4.2.1 Affirm: a specific, genuine statement about the client's
# efforts or progress.
/\byou(?:'ve| have)?(?: been)? (?:worked|working|tried|trying) (?:so |really |very |incredibly |pretty |extremely )?hard\b/
you've done a lot
you've put a lot
you've made progress
you've made real progress
you've come a long way
you managed to
you were able to
you've been able to
you did it
you followed through
you stuck with
good for you
well done
great job
good job
nice job
great work
good work
i'm impressed
that's impressive
proud of you
you should be proud
i appreciate
thank you for sharing
thanks for sharing
thank you for telling me
thank you for being
a big step
a huge step
that's huge

# MITI 4.2.1 Affirm, MISC 2.5 Affirm: naming a strength or value of the
# client ("You're someone who really cares about your kids").
that took courage
that takes courage
took a lot of courage
takes a lot of courage
that took strength
that takes strength
a lot of strength
you're strong
you are strong
you're resourceful
you're resilient
you're determined
you're committed
you really care
you care about
you care a lot
you clearly care
you're someone who
you're a good
that's a real strength
your strength
your strengths

[self_disclosure] Therapist shares their own experience or feelings (ESConv Self-disclosure strategy)

# ESConv (Liu et al. 2021) Self-disclosure: the helper tells of a similar
# experience or a feeling they share.
i've been there
i have been there
i went through
i've gone through
i've been through
i know how that feels
i know what that's like
i know what it's like
i've felt that
i've felt the same
i felt the same
same thing happened to me
that happened to me
happened to me too
i can relate
i relate to
me too
i've struggled with
i struggled with
in my own life
in my own experience
from my own experience
my own experience
when i was your age
i remember when i
i've had times
i have had times
i had a similar
i've had a similar
i had the same
i've had the same
speaking personally
for me personally
