# conversation.lex: how talk is delivered, by either speaker: backchannel
# (short acknowledgements that do not take the floor) and hedge (tentative,
# softened wording).
#
# Written for dyad from the definitions cited above each group; see
# lexicons/README.md.

[backchannel] Short acknowledgement that keeps the other speaker talking: mm-hmm, yeah, okay, right, I see (MITI facilitative comments; MISC Facilitate)

# MITI 4.2.1: a clinician volley ends at client speech "other than
# facilitative comments such as 'yeah, right, good'"; MISC 2.5 Facilitate.
# An utterance is a backchannel only when every one of its words lies inside
# a match of this category, so the list holds only tokens that say nothing
# on their own. Non-words and continuers:
mm-hmm
mm-hm
mhm
mhmm
mmhmm
mm hmm
um-hum
uh-huh
uh huh
uh-hum
hmm
hm
mm
mmm
uh
um
er
oh
ah
aha
huh
# Assent and receipt tokens:
yeah
yea
yes
yep
yup
okay
ok
right
alright
all right
sure
of course
true
exactly
absolutely
definitely
i see
got it
gotcha
i hear you
i understand
i know
that's right
that's true
fair enough
makes sense
that makes sense
cool
wow

[hedge] Tentative, softened wording: maybe, I think, kind of, it seems (Miner et al. 2022 hedging; politeness hedges)

# Miner et al. 2022 therapist hedging ("maybe", "from my perspective"):
# modal adverbs and verbs that lower certainty.
maybe
perhaps
possibly
probably
presumably
apparently
might
might be
may be
could be
it may
it could
likely
unlikely
it's possible
possible that
not necessarily
i'm not sure
not sure
i'm not certain
i don't know if
i don't know whether

# Politeness hedges (Danescu-Niculescu-Mizil et al. 2013, ConvoKit): the
# speaker marks a claim as their own view or a guess.
i think
i guess
i suppose
i believe
i imagine
i wonder
i'm wondering
wondering if
i feel like
i'd say
i would say
my guess
my sense is
my hunch
from my perspective
in my view
in my opinion
it seems
seems like
seem to
seems to
tend to
tends to

# Vague quantity and approximation (team_comm_tools hedges "a little";
# Ranganath et al. 2013): softening how much or how true.
kind of
kinda
sort of
sorta
a little
a bit
somewhat
somehow
in a way
in some ways
to some extent
to some degree
more or less
roughly
or something
or so
if that makes sense
i could be wrong
