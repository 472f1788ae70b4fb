"""The default Chinese category set. Data only; never imports app code."""

from django.db import migrations

# code, group, name, handler, case type, response h, resolve h, warn h, photo required
DEFAULTS = [
    ("public-repair", "维修", "公共维修", "property", "promised", 4, 72, 8, True),
    ("private-repair", "维修", "入户维修", "property", "promised", 4, 48, 4, False),
    ("sanitation", "环境", "环境卫生", "property", "immediate", 2, 24, 4, True),
    ("parking", "秩序", "停车管理", "property", "promised", 4, 72, 8, False),
    ("greening", "环境", "树木绿化", "cadre", "coordinated", 8, 240, 24, True),
    ("lighting", "设施", "公共照明", "property", "promised", 4, 72, 8, False),
    ("water-sewer", "设施", "供水排水", "property", "immediate", 2, 24, 4, False),
    ("noise", "秩序", "噪音扰民", "grid_worker", "immediate", 2, 24, 4, False),
    ("dispute", "矛盾纠纷", "邻里纠纷", "grid_worker", "coordinated", 4, 168, 24, False),
    ("hazard-gas", "安全隐患", "燃气隐患", "grid_worker", "immediate", 1, 12, 2, False),
    ("hazard-ev-charging", "安全隐患", "飞线充电", "grid_worker", "immediate", 2, 24, 4, True),
    ("hazard-fire-escape", "安全隐患", "消防通道堵塞", "grid_worker", "immediate", 2, 24, 4, True),
    ("hazard-other", "安全隐患", "其他安全隐患", "grid_worker", "promised", 2, 72, 8, False),
    ("property-service", "物业", "物业服务", "cadre", "promised", 8, 120, 24, False),
    ("rental", "出租", "房屋出租", "grid_worker", "promised", 8, 120, 24, False),
    ("elder-help", "民生", "助老求助", "grid_worker", "immediate", 2, 24, 4, False),
    ("suggestion", "建议", "意见建议", "cadre", "promised", 24, 240, 24, False),
    ("other", "其他", "其他", "grid_worker", "promised", 8, 120, 24, False),
]


def add_defaults(apps, schema_editor):
    Category = apps.get_model("appeals", "Category")
    for sort, (code, group, name, handler, case, response, resolve, warn, photo) in enumerate(DEFAULTS, 1):
        Category.objects.get_or_create(code=code, defaults={
            "group": group, "name": name, "handler_kind": handler, "case_type": case, "response_hours": response,
            "resolve_hours": resolve, "warn_hours": warn, "photo_required": photo, "sort": sort * 10,
        })


def remove_defaults(apps, schema_editor):
    apps.get_model("appeals", "Category").objects.filter(code__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, remove_defaults)]
