"""Admiralty credibility and ICD 203 likelihood as STIX ``confidence`` (0–100).

Both scales are from STIX 2.1 Appendix A. Information credibility uses the
Admiralty Credibility scale (1 → 90, 2 → 70, 3 → 50, 4 → 30, 5 → 10; 6, "truth
cannot be judged", has no value, so ``confidence`` is left out). Likelihood uses
the DNI scale, which is ICD 203's seven terms one step each (the WEP scale of the
same appendix has only five steps between "impossible" and "certain", so two
pairs of ICD 203 terms would collapse into one value and not come back).
"""

from __future__ import annotations

from briefing.model.vocab import Likelihood

_CREDIBILITY = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}
_CREDIBILITY_FLOORS = ((1, 80), (2, 60), (3, 40), (4, 20), (5, 0))

_DNI = {
    Likelihood.ALMOST_NO_CHANCE: 5,
    Likelihood.VERY_UNLIKELY: 15,
    Likelihood.UNLIKELY: 30,
    Likelihood.ROUGHLY_EVEN: 50,
    Likelihood.LIKELY: 70,
    Likelihood.VERY_LIKELY: 85,
    Likelihood.ALMOST_CERTAIN: 95,
}
_DNI_FLOORS = (
    (Likelihood.ALMOST_CERTAIN, 90),
    (Likelihood.VERY_LIKELY, 80),
    (Likelihood.LIKELY, 60),
    (Likelihood.ROUGHLY_EVEN, 40),
    (Likelihood.UNLIKELY, 20),
    (Likelihood.VERY_UNLIKELY, 10),
    (Likelihood.ALMOST_NO_CHANCE, 0),
)


def _percent(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        return None
    return value


def confidence_of_credibility(credibility: int | None) -> int | None:
    return _CREDIBILITY.get(credibility or 6)


def credibility_of_confidence(confidence: object) -> int:
    """A confidence value → the Admiralty credibility whose range holds it (6 when none)."""
    value = _percent(confidence)
    if value is None:
        return 6
    return next(credibility for credibility, floor in _CREDIBILITY_FLOORS if value >= floor)


def confidence_of_likelihood(likelihood: str) -> int:
    return _DNI[Likelihood(likelihood)]


def likelihood_of_confidence(confidence: object) -> Likelihood:
    """A confidence value → the ICD 203 term of its DNI step (even chance when none)."""
    value = _percent(confidence)
    if value is None:
        return Likelihood.ROUGHLY_EVEN
    return next(term for term, floor in _DNI_FLOORS if value >= floor)
