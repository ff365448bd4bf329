"""Field types shared by request bodies.

Text never holds a NUL character: PostgreSQL cannot store or compare one (SQLite can, so without
this rule the same request would be stored on one backend and fail on the other). The rule is a
validator, not a `pattern`: a pattern would appear in the contract, and Swagger UI and SDK
generators would make their examples up from it (random junk instead of a readable string).
JSON scalars in request bodies are declared with pydantic's Strict types (StrictBool, StrictInt,
StrictFloat), so a value of the wrong JSON type is a 422 instead of being coerced (`"pretrained":
0` is not `false`). Floats are `Float`: strict, and finite, because Python's JSON parser reads
`NaN`, `Infinity` and `-Infinity` as numbers; JSON itself has none, so such a value could be
stored but not returned (it reads back as null), and the engine would fail on it at run time.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, AllowInfNan, Strict
from pydantic_core import PydanticCustomError


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("string_nul", "must not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]

# Every float of a request body (tests/api/test_fields.py checks that none is left without it).
Float = Annotated[float, Strict(), AllowInfNan(False)]
