"""Chinese recognizers, one entity per module (Presidio's country_specific layout)."""

from corpusgate.detectors.pii.china.cn_address_recognizer import CnAddressRecognizer
from corpusgate.detectors.pii.china.cn_bank_card_recognizer import CnBankCardRecognizer
from corpusgate.detectors.pii.china.cn_im_account_recognizer import (
    CnQqNumberRecognizer,
    CnWechatIdRecognizer,
)
from corpusgate.detectors.pii.china.cn_landline_phone_recognizer import (
    CnLandlinePhoneRecognizer,
)
from corpusgate.detectors.pii.china.cn_license_plate_recognizer import (
    CnLicensePlateRecognizer,
)
from corpusgate.detectors.pii.china.cn_medical_record_recognizer import (
    CnMedicalRecordRecognizer,
)
from corpusgate.detectors.pii.china.cn_mobile_phone_recognizer import (
    CnMobilePhoneRecognizer,
)
from corpusgate.detectors.pii.china.cn_passport_recognizer import CnPassportRecognizer
from corpusgate.detectors.pii.china.cn_person_recognizer import CnPersonRecognizer
from corpusgate.detectors.pii.china.cn_resident_id_recognizer import (
    CnResidentIdRecognizer,
)
from corpusgate.detectors.pii.china.cn_travel_permit_recognizer import (
    CnTravelPermitRecognizer,
)
from corpusgate.detectors.pii.china.cn_uscc_recognizer import CnUsccRecognizer
from corpusgate.detectors.pii.china.precise_location_recognizer import (
    PreciseLocationRecognizer,
)

PATTERN_RECOGNIZERS = (
    CnResidentIdRecognizer,
    CnMobilePhoneRecognizer,
    CnLandlinePhoneRecognizer,
    CnBankCardRecognizer,
    CnUsccRecognizer,
    CnPassportRecognizer,
    CnTravelPermitRecognizer,
    CnLicensePlateRecognizer,
    CnMedicalRecordRecognizer,
    PreciseLocationRecognizer,
    CnQqNumberRecognizer,
    CnWechatIdRecognizer,
)

__all__ = [
    "PATTERN_RECOGNIZERS",
    "CnAddressRecognizer",
    "CnBankCardRecognizer",
    "CnLandlinePhoneRecognizer",
    "CnLicensePlateRecognizer",
    "CnMedicalRecordRecognizer",
    "CnMobilePhoneRecognizer",
    "CnPassportRecognizer",
    "CnPersonRecognizer",
    "CnQqNumberRecognizer",
    "CnWechatIdRecognizer",
    "CnResidentIdRecognizer",
    "CnTravelPermitRecognizer",
    "CnUsccRecognizer",
    "PreciseLocationRecognizer",
]
