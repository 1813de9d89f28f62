"""The slope index of inequality of a prevalence across the ICB's practice deprivation deciles."""

from __future__ import annotations

import pandas as pd

from placeworks.engine import Engine
from placeworks.indicators.grouped import group_sums
from placeworks.indicators.inequality import phe_sii
from placeworks.indicators.quantiles import phe_quantile
from placeworks.indicators.variation.comparison import REGISTER_TERMS, proportions

#: The seed of the SII's simulated limits, so every run gives the same limits.
SII_SEED = 20210331
SII_REPETITIONS = 100_000


def qof_sii(frame: pd.DataFrame, engine: Engine) -> tuple[dict | None, list[str]]:
    """SII of the prevalence across the ICB's practices in deciles of their IoD2019 score."""
    scored = frame.dropna(subset=["imd_score"])
    notes = []
    if len(scored) < len(frame):
        left = sorted(set(frame["practice_code"]) - set(scored["practice_code"]))
        notes.append(
            f"{len(left)} practice(s) without an IoD2019 score are left out of the slope index"
            f" of inequality: {', '.join(left)}."
        )
    if len(scored) < 10:
        return None, [*notes, "Too few practices for deprivation deciles: no SII."]
    deciles = phe_quantile(
        scored[["practice_code", "imd_score", "register", "list_size"]],
        "imd_score",
        nquantiles=10,
        invert=True,
        type="standard",
        engine=engine,
    )
    if deciles["quantile"].nunique() < 10:
        return None, [*notes, "Practices do not fill ten deprivation deciles: no SII."]
    sums = group_sums(deciles, ["quantile"], REGISTER_TERMS, engine=engine)
    sums["practices"] = deciles.groupby("quantile").size().to_numpy()
    props = proportions(sums, "quantile", 1, engine).merge(
        sums[["quantile", "practices"]], on="quantile"
    )
    if (props["register"] <= 0).any():
        return None, [*notes, "A deprivation decile has no patients on the register: no SII."]
    result = phe_sii(
        props,
        "quantile",
        "list_size",
        seed=SII_SEED,
        x="register",
        value="value",
        value_type=2,
        lower_cl="lower95_0cl",
        upper_cl="upper95_0cl",
        multiplier=100,
        repetitions=SII_REPETITIONS,
        confidence=(0.95, 0.998),
        rii=True,
        type="standard",
        engine=engine,
    ).iloc[0]
    sii = {
        "sii": float(result["sii"]),
        "sii_lower95": float(result["sii_lower95_0cl"]),
        "sii_upper95": float(result["sii_upper95_0cl"]),
        "sii_lower998": float(result["sii_lower99_8cl"]),
        "sii_upper998": float(result["sii_upper99_8cl"]),
        "rii": float(result["rii"]),
        "rii_lower95": float(result["rii_lower95_0cl"]),
        "rii_upper95": float(result["rii_upper95_0cl"]),
        "rii_lower998": float(result["rii_lower99_8cl"]),
        "rii_upper998": float(result["rii_upper99_8cl"]),
        "unit": "percentage points",
        "reading": (
            "the modelled gap from the most to the least deprived end of the ICB's practices"
            " (least minus most deprived): negative when prevalence is higher among the most"
            " deprived; RII is the least deprived end's value over the most deprived end's"
        ),
        "quantiles": (
            "deciles of the ICB's practices by the IoD2019 score of their registered patients"
            " (OHID Fingertips 93553), 1 = most deprived, assigned by phe_quantile within the"
            " ICB"
        ),
        "practices": len(scored),
        "seed": SII_SEED,
        "repetitions": SII_REPETITIONS,
        "deciles": [
            {
                "decile": int(row["quantile"]),
                "practices": int(row["practices"]),
                "numerator": float(row["register"]),
                "denominator": float(row["list_size"]),
                "value": float(row["value"]) * 100,
                "lower95": float(row["lower95_0cl"]) * 100,
                "upper95": float(row["upper95_0cl"]) * 100,
            }
            for _, row in props.iterrows()
        ],
    }
    return sii, notes
