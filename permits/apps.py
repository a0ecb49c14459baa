from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    name = "permits"
    label = "permits"
    verbose_name = _("Work permits")

    def ready(self):
        from services.notifications.kinds import CASE_KEYS, Kind, register

        # Single window: one message for both permits, to the applicant and the employer.
        register(
            Kind(
                "single_window_issued",
                _("Work and residence permits issued"),
                keys=(*CASE_KEYS, "permit_number", "valid_until", "residence_valid_until", "fee_cny"),
                legal=True,
                example={
                    "reference": "SH2026-7K3M-Q9TX",
                    "applicant_name": "KIM MINJUN",
                    "organization": "上海示例科技有限公司 (Shanghai Example Technology)",
                    "state": "issued",
                    "permit_number": "156000000000000042",
                    "valid_until": "2028-03-31",
                    "residence_valid_until": "2028-03-31",
                    "fee_cny": 800,
                },
            )
        )
        # Single window: the residence track's deadlines, to its assigned exit-entry officer.
        # ``which`` is target_passed, statutory_near or statutory_breached.
        register(
            Kind(
                "residence_deadline",
                _("Residence track deadline"),
                keys=(*CASE_KEYS, "which", "deadline", "working_days_left"),
                example={
                    "reference": "SH2026-7K3M-Q9TX",
                    "applicant_name": "KIM MINJUN",
                    "organization": "上海示例科技有限公司 (Shanghai Example Technology)",
                    "state": "under_review",
                    "which": "statutory_near",
                    "deadline": "2026-03-23",
                    "working_days_left": 2,
                },
                example_link="/applications/7a1c1c62-4d0b-4d8e-9a64-0d9a3c1f1e11/residence/",
            )
        )
