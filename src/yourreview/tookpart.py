"""How a child took part: whether they shared their views without spoken words.

Decided here, once. Every style's letter reads it (through `Record.without_words`) to say
"What you showed us" rather than "What you told me", and so does anything that checks a
letter. PN3 ("came and showed their views without words") always. PN1 and PN6 when
`took_part.how` names a way of sharing views without speech, from the cues below. PN2 and PN5
never from `how`: there it names who spoke for the child, not how the child said it.
"""

from __future__ import annotations

import re

# Words in `took_part.how` that mean the child communicated without spoken words. A cue
# matches as a whole word, in any case, with or without a plural "s"; a space in a cue also
# matches a hyphen ("eye-pointing"). "On the phone", "in text messages" and "in a video" are
# not cues: the child may well have spoken or written words there. The README lists these.
NO_WORDS_CUES: tuple[str, ...] = (
    "sign",
    "signed",
    "signing",
    "sign language",
    "BSL",
    "Makaton",
    "picture",
    "symbol",
    "PECS",
    "communication board",
    "communication book",
    "communication app",
    "communication aid",
    "communication device",
    "talking app",
    "AAC",
    "eye pointing",
    "eye gaze",
    "pointing",
    "pointed",
    "gesture",
    "gestured",
    "drawing",
    "drew",
    "without words",
    "without speaking",
    "non verbal",
    "nonverbal",
)

# Codes whose `how` says how the child shared their views (PN3 needs no cue).
HOW_IS_A_WAY = ("PN1", "PN6")

_ANY_CUE = "|".join(re.escape(cue).replace(r"\ ", r"[\s-]+") for cue in NO_WORDS_CUES)
_CUES = re.compile(rf"\b(?:{_ANY_CUE})s?\b", re.IGNORECASE)


def without_words(code: str, how: str | None) -> bool:
    """Whether the child took part without spoken words: PN3, or a way without words in `how`
    for PN1 or PN6 ("using Makaton signs": yes; "on the phone": no)."""
    if code == "PN3":
        return True
    return code in HOW_IS_A_WAY and how is not None and _CUES.search(how) is not None
