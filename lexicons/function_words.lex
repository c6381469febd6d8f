# function_words.lex: the nine function-word groups of Language Style
# Matching (Ireland & Pennebaker 2010; Ireland's LSM User's Guide): personal
# and impersonal pronouns, articles, auxiliary verbs, common adverbs,
# prepositions, conjunctions, negations, quantifiers. LSM compares each
# speaker's rate per group, so the groups aim at closed word classes that
# every speaker uses, not at meaning.
#
# Written for dyad from grammar (closed-class English words), not taken from
# any published dictionary; see lexicons/README.md. A word may sit in two
# groups where grammar puts it in two (contractions: "don't" is an auxiliary
# and a negation).

[ppron] Personal pronouns: I, we, you, he, she, they in all their forms (LSM; Ireland & Pennebaker 2010)

# Ireland & Pennebaker 2010, LSM personal pronouns: first, second and third
# person forms that point at people.
i
me
my
mine
myself
i'm
i've
i'd
i'll
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
he
him
his
himself
he's
he'd
he'll
she
her
hers
herself
she's
she'd
she'll
they
them
their
theirs
themselves
themself
they're
they've
they'd
they'll

[ipron] Impersonal pronouns: it, this, that, something, anyone, what, which (LSM; Ireland & Pennebaker 2010)

# Ireland & Pennebaker 2010, LSM impersonal pronouns: pronouns that point at
# things, ideas or unspecified people.
it
its
itself
it's
it'd
it'll
this
that
these
those
that's
something
anything
everything
nothing
someone
anyone
everyone
somebody
anybody
everybody
nobody
no one
what
what's
whatever
which
whichever
who
who's
whom
whose
whoever

[article] Articles: a, an, the (LSM; Ireland & Pennebaker 2010)

# Ireland & Pennebaker 2010, LSM articles.
a
an
the

[auxverb] Auxiliary verbs: be, have, do, modals and their contractions (LSM; Ireland & Pennebaker 2010)

# Ireland & Pennebaker 2010, LSM auxiliary verbs: the forms of be, have and
# do, and the modal verbs. Main-verb uses ("I have a dog") count too; words
# alone cannot separate them.
am
is
are
was
were
be
been
being
have
has
had
having
do
does
did
can
could
will
would
shall
should
may
might
must
ought
gonna
# Contractions that contain an auxiliary.
i'm
i've
i'd
i'll
we're
we've
we'd
we'll
you're
you've
you'd
you'll
he's
he'd
he'll
she's
she'd
she'll
they're
they've
they'd
they'll
it's
it'd
it'll
that's
there's
what's
who's
here's
where's
how's
don't
doesn't
didn't
isn't
aren't
wasn't
weren't
haven't
hasn't
hadn't
can't
cannot
couldn't
won't
wouldn't
shouldn't
mustn't
mightn't
needn't
ain't

[adverb] Common adverbs: really, just, very, so, too, always, now, then, how, why (LSM; Ireland & Pennebaker 2010)

# Ireland & Pennebaker 2010, LSM common adverbs: degree, frequency, time,
# focus and wh-adverbs. "-ly" words in general are not listed.
very
really
so
too
just
quite
rather
fairly
pretty much
even
also
still
already
almost
nearly
hardly
barely
only
mostly
actually
basically
literally
simply
totally
completely
absolutely
definitely
certainly
honestly
especially
exactly
always
often
usually
sometimes
rarely
seldom
ever
again
once
now
then
soon
lately
recently
later
yet
else
anyway
instead
here
there
how
when
where
why

[prep] Prepositions: to, of, in, for, with, about, from (LSM; Ireland & Pennebaker 2010)

# Ireland & Pennebaker 2010, LSM prepositions. The infinitive "to" counts
# too, as in most function-word counts.
about
above
across
after
against
along
among
around
as
at
before
behind
below
beneath
beside
besides
between
beyond
by
despite
down
during
except
for
from
in
inside
into
near
of
off
on
onto
out
outside
over
past
per
since
through
throughout
till
to
toward
towards
under
underneath
until
up
upon
with
within
without
via

[conj] Conjunctions: and, but, or, because, if, although, while (LSM; Ireland & Pennebaker 2010)

# Ireland & Pennebaker 2010, LSM conjunctions: coordinating and
# subordinating conjunctions, and the common spoken forms.
and
but
or
nor
so
because
cause
cos
cuz
although
though
while
whereas
whether
if
unless
than
plus
however
otherwise
therefore
even though
even if
as if
as though
so that
as long as
in case
rather than

[negate] Negations: no, not, never, nothing and n't contractions (LSM; Ireland & Pennebaker 2010)

# Ireland & Pennebaker 2010, LSM negations: negative particles, negative
# pronouns and adverbs, and contractions with "n't".
no
not
never
none
nothing
nobody
nowhere
neither
nor
nope
nah
don't
doesn't
didn't
isn't
aren't
wasn't
weren't
haven't
hasn't
hadn't
can't
cannot
couldn't
won't
wouldn't
shouldn't
mustn't
mightn't
needn't
ain't
dont
doesnt
didnt
isnt
cant
wouldnt
shouldnt
couldnt

[quant] Quantifiers: all, some, many, much, more, few, every, a lot (LSM; Ireland & Pennebaker 2010)

# Ireland & Pennebaker 2010, LSM quantifiers: words for how many or how much
# (numbers are not quantifiers here).
all
any
some
many
much
more
most
few
fewer
less
least
lot
lots
several
each
every
both
either
enough
half
whole
entire
plenty
extra
various
multiple
a lot
a little
a bit
a couple
a bunch
tons
