"""Scope of negation, hedging, historical/resolved and third-hand statements.

Cues are token patterns in ``patterns/cues.json`` (matched by ``training.text.rules``); the
words the rules test are in ``patterns/scope_words.json``. Each cue casts a scope over
nearby tokens of its sentence:

* negation ("no", "denies", "ruled out", "no evidence of") covers the following tokens up
  to the clause end (",", ";", "but", "and", sentence end) or ``neg_window`` tokens, and a
  list of short items that an "and"/"or" closes ("no bruises, marks or burns"); post-cues
  ("... were not seen", "... denied.", "... ruled out.") cover the clause before, and their
  own verb ("domestic abuse: not disclosed"); a condition ("if any", "if he ever",
  "should there be") asserts nothing and negates like "no"; an empty tick box of a form
  ("[ ] disclosure", "☐ neglect") negates its label, up to the next box or gap; a
  negation whose object is only a pronoun ("considered sexual abuse and have no suspicion
  of it") negates what the pronoun refers back to;
* hedging ("possibly", "may", "query", "worried that") covers the rest of the clause, at
  most ``hedge_window`` tokens; a "?" hedges its whole sentence up to it;
* historical/resolved ("in 2019", "previously", "used to", "no longer", "in the past") covers
  the clause start before it and the rest of the sentence until a "but"-like break or a
  reset word ("now", "today", "again", "currently");
* third-hand ("neighbour thinks", "was told", "reportedly", "apparently") covers the clause
  start before it and the rest of the sentence;
* backward cues that follow what they qualify, often after a comma, "but" or ";":
  ``neg_back`` ("..., but this turned out to be a misunderstanding", "...; officers found
  this to be unfounded", "... was ruled out", "That isn't what I found"), ``hedge_back`` ("..., nothing has been
  confirmed", "... but nothing specific") and ``hist_back`` ("... in her own childhood")
  cover their sentence back to its start; when the sentence follows a ";" or opens by
  referring back ("This was ...", "On checking, it was ..."), the previous sentence too.

* ``*_back_final`` cues act backward like the ``*_back`` kinds only when they end their clause
  or have just a pronoun/anaphor object left ("..., officers found nothing", "police have no
  record of this", "possible X, unclear", "we just don't know yet", "..., nothing since");
  otherwise ``neg_back_final`` / ``hedge_back_final`` act forward ("nothing to suggest X",
  "unclear if X") and ``hist_back_final`` not at all;
* ``not_cue`` spans are cue look-alikes that cancel the cues they overlap ("being used to").
* ``neg_post_clause`` ("... is not a feature", "... has never been a concern") negates its
  whole clause before it; ``neg_answer`` ("said no", "flatly denied it", "shook her head")
  negates back to an ``ask_frame`` ("asked (directly) about", "questioned whether") earlier
  in its sentence when it ends its clause, and otherwise acts forward from its negator;
  ``hist_reset_adj`` words ("new", "ongoing", "recent") end forward historical scopes only.

A historical cue ending a clause that only refers back ("..., but this was in 2015", "- that
was a while ago", ", which was in 2013") dates the clause before it as a backward cue would;
a status cue ("this was resolved by the teacher") does so only clause-finally. Backward
scopes of a sentence linked to the one before (";", "This was ...") reach three times
``back_window``; a "but"-clause whose subject refers back just before the cue ("but the
referrer has since confirmed it was a mix-up", "; the family have since moved on") does not
stop them. Forward report, date and preface scopes run to the first "but"-like break opening
a clause of its own: not one inside a quotation, a temporal "while", or a "but" before a
predicate without a subject ("... were offered help but refused it"). A preface hedge covers
the rest of its sentence to such a break or a dash (not a hyphen: "step-dad"), unless it asks
"why"/"how" ("Not sure why, but she has bruises"); a clause-taking hedge opening its sentence
("Unclear if ...") covers up to four times ``hedge_window``, across parentheses ("(15)").

Backward scopes reach three times ``back_window`` when a pronoun near the cue refers back
("... - this was checked and is not the case"), and do not cross a "but"-like break whose
clause has a subject and content of its own ("X, but the claim about Y was unfounded"
retracts Y only); backward historical scopes stop at a reset word. Forward negation runs on
after "any"/"ever" ("never had any worries about X") and, after a negated noun phrase, past
"and"/"or" unless a new clause starts there ("no evidence of shouting and belittling", but
"no bruising and she has a black eye"). A hedge ending in "that"/"if"/"whether"/"about" covers
the reported clause across commas up to a break opening a new clause ("wonder if Lily, who
is 9, has ..."); a short preface hedge opening a sentence ("I might be wrong, but", "Can't
say for sure but", "Not confirmed:") hedges the clause after it; a leading "?" ("?NAI")
hedges what follows. "X denied." and "X denied by both parents" negate the clause before.

A negating "no" that opens a longer cue ("no disclosures of", "no evidence of") also
negates the cue's own later words, so "No disclosures of X were made" is not a disclosure.

A negation ending in (or followed by) "that"/"whether"/"of"/"about" covers its reported
clause or list like a clause-taking hedge ("no evidence that X has been hitting them or
locking them in", "no concerns about X, Y or Z"), though not a relative clause after a
noun phrase ("no concerns about the baby, who ..."); a backward negation followed by
"that" ("it is not true that X", "not the case that X", "untrue to say that X") negates
X forward instead. A sentence opening with a claim noun taking a clause ("Concerns that
X were raised and looked into, nothing found", "The allegation that X was unfounded") is
negated whole by a backward negation in it, and a backward negation is scoped by its last
word, so a match running into it ("... bail conditions, but this turned") does not hold
it. "According to" names a source and does not limit backward scopes; "yet" after a
negator ("not yet rolling") or before "to" is no break; an opening "Unclear if A and B"
hedges both unless a comma comes before the "and". ``not_cue`` also keeps house numbers
("at no 4", "No. 12") and "nobody noticed/realised X" (X is there) from negating, and the
historical "has since" does not date a report of what was since said ("has since
confirmed").

For each token the component records the index of the cue that scopes it (or -1), so a
match that contains its own cue ("no food in the house", "did not attend") is not flagged
by it. Results live in ``doc._.cs_scope``; token getters ``cs_neg``, ``cs_hedge``,
``cs_hist``, ``cs_third`` and ``cs_sent`` read them.
"""

from training.text.scope.marker import (
    CUE_KINDS,
    SENT_KEY,
    ScopeMarker,
    cs_scope,
    load_cues,
    register_extensions,
)
from training.text.scope.reading import NO_CUE, ScopeFlags, ScopeReading
from training.text.scope.words import ScopeWords

__all__ = [
    "CUE_KINDS",
    "NO_CUE",
    "SENT_KEY",
    "ScopeFlags",
    "ScopeMarker",
    "ScopeReading",
    "ScopeWords",
    "cs_scope",
    "load_cues",
    "register_extensions",
]
