"""What an override is: a screener's decision that goes against the band the service showed.

The band says which way the score leans: ``high`` (a calibrated probability of at least the
upper band cut, 0.50 by default, or a must-never-miss floor) leans to the threshold being
met; ``low`` (under the lower cut, 0.20) leans to it not being met; ``medium`` leans
neither way. So:

* a **high** contact decided *not met* (no further action, advice or early help) is an
  override;
* a **low** contact decided *met* (referral or child protection enquiries) is an override;
* a **medium** contact is never an override, whichever way it is decided: its band asked
  the screener to weigh it. Medium contacts count in the calibration, not in the override
  rate.

The override rate is overrides over decided high and low contacts. The band is the one
served, after any floor (what the screener saw), not one recomputed from the score.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from training.data.contract import MET_THRESHOLD_OUTCOMES

__all__ = ["DIRECTED_BANDS", "OVERRIDE_DEFINITION", "decided_met", "overrides"]

#: The bands that lean one way, and so can be overridden.
DIRECTED_BANDS: Final = ("high", "low")
#: One sentence for the report.
OVERRIDE_DEFINITION: Final = (
    "An override is a decision against the band shown: a high-band contact decided not met "
    "(no further action, advice or early help) or a low-band contact decided met (referral "
    "or child protection enquiries). A medium-band contact leans neither way and is never "
    "an override. The override rate is overrides over decided high- and low-band contacts."
)


def decided_met(outcomes: Sequence[str | None]) -> npt.NDArray[np.bool_]:
    """Whether each recorded decision met the threshold (False where none was recorded)."""
    return np.array([o in MET_THRESHOLD_OUTCOMES for o in outcomes], dtype=bool)


def overrides(
    bands: Sequence[str] | npt.NDArray[np.object_],
    met: npt.ArrayLike,
    *,
    decided: npt.ArrayLike | None = None,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """``(eligible, overridden)`` per contact: eligible when it was decided and its band is
    high or low; overridden when eligible and the decision went against the band.
    ``decided`` defaults to every contact."""
    band = np.asarray(bands, dtype=object)
    met_ = np.asarray(met, dtype=bool)
    if band.shape != met_.shape:
        raise ValueError("bands and decisions must be the same length")
    done = np.ones(band.shape, dtype=bool) if decided is None else np.asarray(decided, dtype=bool)
    high, low = band == "high", band == "low"
    eligible = done & (high | low)
    overridden = done & ((high & ~met_) | (low & met_))
    return eligible, overridden
