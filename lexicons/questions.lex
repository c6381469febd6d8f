# questions.lex: open and closed questions (MISC 2.5 Open and Closed
# Question). Every rule is anchored at a sentence start, and the categories
# are meant for utterances that contain a question mark: a sentence that
# opens like a question in an utterance without "?" is not a question.
#
# Written for dyad from the MISC definitions; see lexicons/README.md.

[open_question] Question that invites a long, free answer: what, how, why, tell me, describe (MISC Open Question)

# MISC 2.5 Open Question: "allows a wide range of possible answers"; a
# wh-word that asks for description or explanation.
^what
^how
^why
# The same words contracted ("What's your thinking?", "Why'd she leave?") or
# stuttered into one word ("What-what happened?", "Wh-what do you think?").
^what's
^what'd
^what're
^how's
^how'd
^why'd
^what-*
^how-*
^why-*
^wh-*
^in what way
^in what ways
# MISC 2.5 codes requests to talk as open questions, whatever their grammar.
^tell me
^say more
^describe
^help me understand
^walk me through
^give me an example
^talk to me about
^can you tell me
^could you tell me
^would you tell me
^can you say more
^could you say more
^can you describe
^could you describe
^can you give me an example
^could you give me an example
^can you help me understand
^could you help me understand
^can you walk me through
# The same openings after a discourse word ("So what happened next?",
# "Okay, and how did that go?").
/^(?:(?:and|so|but|okay|ok|well|now|then|alright|right|um|uh|yeah|oh|mm-hmm) )+(?:what|how|why|in what ways?|tell me|say more|describe|help me understand|walk me through|give me an example|(?:can|could|would) you (?:tell me|say more|describe|give me an example|help me understand|walk me through))\b/

# MISC 2.5: a wh-question after a preface in the same sentence ("Let me ask
# you this, what are your wife's concerns?", "I'm wondering, what have you
# heard...?"): the wh-word, an auxiliary and its subject still open it
# (a relative "what" as in "that's what you want" has no auxiliary first).
/\b(?:what|how|why)(?:'s| is| are| was| were| do| does| did| would| could| can| will| might| should| has| have| had) (?:you|your|we|our|they|their|it|that|this|these|those|i|my|he|his|she|her|there|the|people|someone|somebody|anyone|anybody)\b/
/\b(?:what|how) else\b/
/\bwhere (?:do|would|could|might) (?:you|we)\b/

# Not open: wh-questions that ask for a number, a time or a single fact
# (MISC 2.5 codes them as closed), and suggestions put as questions ("How
# about we...?").
! /^(?:(?:and|so|but|okay|ok|well|now|then|alright|right|um|uh|yeah|oh|mm-hmm) )*(?:how (?:many|much|long|old|often|far|soon)|what (?:time|day|year|age|date)|how about we|what if we|why don't (?:we|you))\b/
# MISC 2.5: a question that asks for a number is closed, whatever its
# wh-word ("On a scale of 0 to 10, where would you put yourself?"); the
# exception spans the whole sentence, so no open rule in it counts.
! /^.*\b(?:on a scale|scale of|scale from|what number)\b.*$/

[closed_question] Question that asks for yes, no or a single fact: do you, is it, are you, how many, when did (MISC Closed Question)

# MISC 2.5 Closed Question: "implies a short answer: yes or no, a specific
# fact, a number". An auxiliary verb then its subject opens a yes/no
# question, alone or after a discourse word ("So, did you go?"). One
# pattern covers the 34 auxiliaries and their common subjects.
/^(?:(?:and|so|but|okay|ok|well|now|then|alright|right|um|uh|yeah|oh|mm-hmm) )*(?:do|does|did|is|are|was|were|am|can|could|will|would|have|has|had|should|shall|may|might|don't|doesn't|didn't|isn't|aren't|wasn't|weren't|can't|couldn't|won't|wouldn't|haven't|hasn't|hadn't|shouldn't) (?:you|your|i|my|we|our|they|their|he|his|she|her|it|that|this|these|those|there|anyone|anybody|anything|someone|somebody|something|everyone|everything|people|the|any|all)\b/
# Elliptical yes/no questions ("Any questions?", "Anything else?").
^any
^anything else
^anyone else
^anybody else
# MISC 2.5: wh-questions that ask for a number, a time or one fact.
^how many
^how much
^how long
^how old
^how often
^how far
^how soon
^what time
^what day
^what year
^when did
^when do
^when does
^when is
^when was
^when will
^when would
^when's
^where did
^where is
^where are
^where was
^where's
^who is
^who was
^who did
^who else
^who's
^which one
^which of
# A number asked for ("On a scale of 0 to 10, how ready are you?").
/\b(?:on a scale|scale of|scale from|what number)\b/
# The same after a discourse word ("And how many drinks was that?").
/^(?:(?:and|so|but|okay|ok|well|now|then|alright|right|um|uh|yeah|oh|mm-hmm) )+(?:how (?:many|much|long|old|often|far|soon)|what (?:time|day|year)|when (?:did|do|does|is|was|will|would)|when's|where (?:did|is|are|was)|where's|who (?:is|was|did|else)|who's|which (?:one|of))\b/

# Not closed: requests to talk put as yes/no questions ("Can you tell me
# more?"); MISC 2.5 codes them as open, and open_question counts them.
! /^(?:(?:and|so|but|okay|ok|well|now|then|alright|right|um|uh|yeah|oh|mm-hmm) )*(?:can|could|would|will) you (?:tell me|tell us|say more|say a little more|say a bit more|describe|give me an example|help me understand|walk me through|talk about)\b/
