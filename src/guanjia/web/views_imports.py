"""Resident import for community staff: upload → dry-run report → confirm; template and export downloads.

The import itself is guanjia.people.imports.import_residents; this page only carries the file from the
dry run to the confirmed run (kept under DATA_DIR/uploads, named by a random token in the session)."""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanjia.people import permissions as perms
from guanjia.web.context import can_import
from guanjia.web.decorators import login_required

KINDS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
SESSION_KEY = "guanjia_import_upload"
UPLOAD_TTL_SECONDS = 24 * 3600


def _report_context(report: Any) -> dict[str, Any]:
    """An ImportReport (people.imports) as the page shows it: totals, counts per kind, bad rows."""
    from guanjia.people.imports import KIND_LABELS, KindCount

    kinds = [(label, report.counts.get(kind, KindCount())) for kind, label in KIND_LABELS.items()]
    return {
        "report": report,
        "kinds": kinds,
        "can_confirm": report.dry_run and not report.file_error and report.rows_ok > 0,
    }


def _require_import_role(request: HttpRequest) -> None:
    perms.require(can_import(perms.scope_for(request.user)), "无权导入或导出居民信息")


def _download(data: bytes, filename: str, kind: str) -> HttpResponse:
    response = HttpResponse(data, content_type=KINDS[kind])
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    response["Content-Disposition"] = disposition or "attachment"
    return response


@login_required
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    _require_import_role(request)
    from guanjia.people.exports import template_bytes

    return _download(template_bytes(kind), _("居民导入模板") + f".{kind}", kind)


@login_required
@require_GET
def export_residents_view(request: HttpRequest) -> HttpResponse:
    _require_import_role(request)
    from guanjia.people.exports import export_residents

    stamp = timezone.localdate().strftime("%Y%m%d")
    return _download(export_residents(user=request.user), _("居民信息") + f"-{stamp}.xlsx", "xlsx")


def _upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sweep_stale_uploads() -> None:
    """Uploads checked but never confirmed hold personal data: keep them a day at most."""
    cutoff = time.time() - UPLOAD_TTL_SECONDS
    for old in _upload_dir().glob("import-*"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def _stored_upload(request: HttpRequest) -> tuple[Path, str] | None:
    saved = request.session.get(SESSION_KEY)
    if not saved:
        return None
    path = _upload_dir() / saved["token"]
    return (path, saved["filename"]) if path.exists() else None


def _discard_upload(request: HttpRequest) -> None:
    stored = _stored_upload(request)
    if stored:
        stored[0].unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)


def _save_upload(request: HttpRequest, upload: Any) -> tuple[Path, str]:
    _discard_upload(request)
    _sweep_stale_uploads()
    suffix = Path(upload.name).suffix.lower()
    token = f"import-{secrets.token_hex(16)}{suffix}"
    path = _upload_dir() / token
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    request.session[SESSION_KEY] = {"token": token, "filename": upload.name}
    return path, upload.name


@login_required
@require_http_methods(["GET", "POST"])
def import_residents_view(request: HttpRequest) -> HttpResponse:
    _require_import_role(request)
    context: dict[str, Any] = {"nav_key": "import", "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
    if request.method == "POST":
        upload = request.FILES.get("file")
        problem = _upload_problem(upload)
        if problem:
            context["problem"] = problem
            return render(request, "web/imports/residents.html", context, status=400)
        from guanjia.people.imports import import_residents

        path, filename = _save_upload(request, upload)
        report = import_residents(user=request.user, path_or_file=path, filename=filename, dry_run=True)
        context.update(_report_context(report))
    return render(request, "web/imports/residents.html", context)


def _upload_problem(upload: Any) -> str:
    if upload is None:
        return _("请选择要导入的文件")
    if Path(upload.name).suffix.lower() not in {".xlsx", ".csv"}:
        return _("只支持 .xlsx 或 .csv 文件")
    if upload.size > MAX_UPLOAD_BYTES:
        return _("文件过大（上限 %(mb)s MB）") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
    return ""


@login_required
@require_POST
def import_residents_confirm(request: HttpRequest) -> HttpResponse:
    _require_import_role(request)
    stored = _stored_upload(request)
    if stored is None:
        messages.error(request, _("上传的文件已失效，请重新上传"))
        return redirect("web:import-residents")
    from guanjia.people.imports import import_residents

    path, filename = stored
    try:
        report = import_residents(user=request.user, path_or_file=path, filename=filename, dry_run=False)
    finally:
        _discard_upload(request)
    if not report.file_error:
        messages.success(
            request,
            ngettext(
                "导入完成：读取 %(rows)s 行，导入 %(ok)s 行，跳过有问题的 %(bad)s 行",
                "导入完成：读取 %(rows)s 行，导入 %(ok)s 行，跳过有问题的 %(bad)s 行",
                report.rows_read,
            )
            % {"rows": report.rows_read, "ok": report.rows_ok, "bad": len(report.bad_rows)},
        )
    context = {"nav_key": "import", "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024), "done": True}
    return render(request, "web/imports/residents.html", {**context, **_report_context(report)})
