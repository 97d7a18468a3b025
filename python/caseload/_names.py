"""One name per option: old keyword names kept working for one release.

Every option has one name, its record's in the core (``option_records()``),
used by the JSON API, the Python keywords, the C structs and the CLI flags.
Keywords that had another name before are translated here, with a
DeprecationWarning, so old notebooks keep running while they are updated.
"""

from __future__ import annotations

import json
import warnings
from typing import Any, Dict, List, Mapping

from . import _core
from ._errors import CaseloadError


def option_records(capability: str) -> List[Dict[str, Any]]:
    """The one description of a capability's options: a list of dicts with name, type, default,
    range (min, max, min_exclusive, max_exclusive, integer), choices, list rules and doc.

    ``capability`` is one of allocation, rebalance, league, projection, forecast, gap. The JSON API,
    the Python keywords, the C structs and the CLI flags all use these names; nested options
    (the league's weights, the projection's supply, staffing and scenarios) have their own list
    under "options".
    """
    return json.loads(_core.option_records(capability))


def one_names(options: Dict[str, Any], renamed: Mapping[str, str], where: str, stacklevel: int = 3) -> Dict[str, Any]:
    """Moves each old name in ``options`` to its new name (``renamed``: old -> new), warning once per use.

    Giving both names is an error: which one was meant cannot be known.
    """
    for old, new in renamed.items():
        if old in options:
            value = options.pop(old)
            if options.get(new) is not None and value is not None:
                raise CaseloadError("invalid_argument", f"{where}: give {new} only ({old} is its old name)")
            warnings.warn(f"{where}: {old}= is deprecated; use {new}=", DeprecationWarning, stacklevel=stacklevel + 1)
            if value is not None:
                options[new] = value
    return options
