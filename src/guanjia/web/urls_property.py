"""Pages of the property app; included by web/urls.py."""

from django.urls import URLPattern, URLResolver, path

from guanjia.web import views_property as v
from guanjia.web import views_property_billing as billing
from guanjia.web import views_property_eval as ev
from guanjia.web import views_property_public as public

urlpatterns: list[URLPattern | URLResolver] = [
    # The 公示 page and its poster are public: posted at the gate, opened from the QR code.
    path("gongshi/<int:pk>/", public.disclosure, name="property-disclosure"),
    path("gongshi/<int:pk>/poster/", public.poster, name="property-poster"),
    path("property/", v.property_home, name="property-home"),
    path("property/compounds/<int:compound_pk>/contracts/new/", v.contract_new, name="property-contract-new"),
    path("property/contracts/<int:pk>/", v.contract_detail, name="property-contract"),
    path("property/contracts/<int:pk>/notice/", v.contract_notice, name="property-notice"),
    path("property/contracts/<int:pk>/disclose/", v.contract_disclose, name="property-disclose"),
    path("property/contracts/<int:pk>/items/", v.service_item_add, name="property-item-add"),
    path("property/contracts/<int:pk>/billing/", billing.billing, name="property-billing"),
    path("property/contracts/<int:pk>/billing/run/", billing.bill_run, name="property-bill-run"),
    path("property/contracts/<int:pk>/billing/reminders/", billing.reminders, name="property-reminders"),
    path("property/contracts/<int:pk>/billing/export.xlsx", billing.export, name="property-export"),
    path(
        "property/contracts/<int:pk>/dwellings/<int:dwelling_pk>/", billing.account, name="property-account"
    ),
    path(
        "property/contracts/<int:pk>/dwellings/<int:dwelling_pk>/pay/",
        billing.payment_record,
        name="property-payment-record",
    ),
    path("property/bills/<int:pk>/correct/", billing.bill_correct, name="property-bill-correct"),
    path(
        "property/payments/<int:pk>/<str:decision>/",
        billing.payment_decide,
        name="property-payment-decide",
    ),
    path("property/payments/<int:pk>/receipt.pdf", billing.receipt, name="property-receipt"),
    path("property/my/", billing.my_bills, name="property-my"),
    path("property/my/claim/", billing.my_claim, name="property-my-claim"),
    path("property/evaluations/", ev.evaluations, name="property-evaluations"),
    path("property/evaluations/new/", ev.evaluation_open, name="property-evaluation-open"),
    path("property/evaluations/<int:pk>/", ev.evaluation_detail, name="property-evaluation"),
    path("property/evaluations/<int:pk>/submit/", ev.evaluation_submit, name="property-evaluation-submit"),
    path("property/evaluations/<int:pk>/publish/", ev.evaluation_publish, name="property-evaluation-publish"),
    path("property/coverage/", ev.coverage_view, name="property-coverage"),
]
