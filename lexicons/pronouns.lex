# pronouns.lex: first-person singular, first-person plural and second-person
# pronouns, counted separately per speaker. Higher-status speakers use fewer
# "I" words and more "we" and "you" words (Kacewicz et al. 2014); "we-talk"
# tracks relationship outcomes (Karan et al. 2019). Each word form counts
# once; contractions count as the pronoun they contain.
#
# Written for dyad from those definitions; see lexicons/README.md.

[i] First-person singular pronouns: I, me, my, mine, myself and their contractions (Kacewicz et al. 2014)

# Kacewicz et al. 2014: first-person singular marks lower status and
# self-focus.
i
me
my
mine
myself
i'm
i've
i'd
i'll

[we] First-person plural pronouns: we, us, our, ours, ourselves, let's (Kacewicz et al. 2014)

# Kacewicz et al. 2014: first-person plural marks higher status; Karan et
# al. 2019: "we-talk" and relationship outcomes. "Let's" is "let us".
we
us
our
ours
ourselves
we're
we've
we'd
we'll
let's

[you] Second-person pronouns: you, your, yours, yourself and their contractions (Kacewicz et al. 2014)

# Kacewicz et al. 2014: second-person pronouns mark higher status. Generic
# "you" ("you know", "you never know") counts too; words cannot tell it
# apart.
you
your
yours
yourself
yourselves
you're
you've
you'd
you'll
y'all
