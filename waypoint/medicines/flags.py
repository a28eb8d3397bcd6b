"""Red-zone flags from the Lester positive cardiometabolic health resource (2014, updated 2023).

Pure functions over the values of one check (and the person's earlier weights): no database.
A flag says which result is outside the healthy range and why; it is not a score. Each flag
stays on the worklist until an intervention is recorded ("don't just screen, intervene").
"""

from datetime import date, timedelta
from decimal import Decimal

from .models import Element, SmokingStatus

BMI_THRESHOLD = Decimal("25")
BMI_THRESHOLD_SOUTH_ASIAN_OR_CHINESE = Decimal("23")
WEIGHT_GAIN_KG = Decimal("5")
WEIGHT_GAIN_WINDOW = timedelta(days=92)  # about 3 months
SYSTOLIC = Decimal("140")
DIASTOLIC = Decimal("90")
HBA1C = Decimal("42")
FASTING_GLUCOSE = Decimal("5.5")
TOTAL_CHOLESTEROL = Decimal("6.0")
QRISK = Decimal("20")


def bmi_of(weight_kg: Decimal | None, height_cm: Decimal | None) -> Decimal | None:
    if not weight_kg or not height_cm:
        return None
    metres = height_cm / 100
    return (weight_kg / (metres * metres)).quantize(Decimal("0.1"))


def flags_for(
    values: dict,
    *,
    south_asian_or_chinese: bool,
    earlier_weights: list[tuple[date, Decimal]] = (),  # type: ignore[assignment]
) -> list[tuple[str, str]]:
    """[(element, reason)] for one check. `values[element]` is a dict with `value`, `value_2`,
    `text` and `measured_on`."""
    found = []

    def value(element):
        entry = values.get(element)
        return entry.get("value") if entry else None

    bmi = value(Element.BMI)
    threshold = BMI_THRESHOLD_SOUTH_ASIAN_OR_CHINESE if south_asian_or_chinese else BMI_THRESHOLD
    if bmi is not None and bmi >= threshold:
        found.append((Element.BMI, f"BMI {bmi} is {threshold} or more"))
    weight = values.get(Element.WEIGHT)
    if weight and weight.get("value") is not None:
        since = weight["measured_on"] - WEIGHT_GAIN_WINDOW
        earlier = [kg for day, kg in earlier_weights if since <= day < weight["measured_on"]]
        if earlier and weight["value"] - min(earlier) > WEIGHT_GAIN_KG:
            gain = weight["value"] - min(earlier)
            found.append((Element.WEIGHT, f"Weight up {gain} kg in 3 months (more than 5 kg)"))
    bp = values.get(Element.BLOOD_PRESSURE)
    if bp and bp.get("value") is not None and bp.get("value_2") is not None:
        if bp["value"] > SYSTOLIC or bp["value_2"] > DIASTOLIC:
            found.append(
                (Element.BLOOD_PRESSURE, f"Blood pressure {bp['value']}/{bp['value_2']} is above 140/90")
            )
    hba1c = value(Element.HBA1C)
    if hba1c is not None and hba1c >= HBA1C:
        found.append((Element.HBA1C, f"HbA1c {hba1c} mmol/mol is 42 or more"))
    glucose = value(Element.FASTING_GLUCOSE)
    if glucose is not None and glucose >= FASTING_GLUCOSE:
        found.append((Element.FASTING_GLUCOSE, f"Fasting glucose {glucose} mmol/L is 5.5 or more"))
    cholesterol = value(Element.TOTAL_CHOLESTEROL)
    if cholesterol is not None and cholesterol > TOTAL_CHOLESTEROL:
        found.append((Element.TOTAL_CHOLESTEROL, f"Total cholesterol {cholesterol} mmol/L is above 6.0"))
    qrisk = value(Element.QRISK)
    if qrisk is not None and qrisk > QRISK:
        found.append((Element.QRISK, f"QRISK {qrisk}% is above 20%"))
    smoking = values.get(Element.SMOKING)
    if smoking and smoking.get("text") == SmokingStatus.SMOKER:
        found.append((Element.SMOKING, "Smokes"))
    return found
