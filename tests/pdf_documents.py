"""The PDFs the PDF tests read, made at test time.

Text PDFs are printed by headless Chromium (offline) from HTML built here: a tab-separated
annex (the seed, the English Acme annex) becomes the HTML page it was extracted from, with
the header in ``<thead>`` so Chromium repeats it on every page, and an English sub-processor
list is written with its header row in the body (so it is not repeated), a section heading
spanning the table, a name spanning two rows and a row tall enough to be broken by the page
break. Hostile and broken PDFs are written byte by byte (``write_pdf``), with pypdf
(encryption) or with Pillow (a scan: an image of a page, no text).
"""

from __future__ import annotations

import html
import io
import re
import zlib
from pathlib import Path

from tests.browser import CHROMIUM, chromium

_STYLE = """
@page { size: A4; margin: 18mm 15mm; }
body { font: 10pt "DejaVu Sans", sans-serif; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #444; padding: 4px; text-align: left; vertical-align: top; }
"""


def print_pdf(page_html: str, pdf: Path, work: Path) -> Path:
    """Write ``page_html`` as ``pdf`` with headless Chromium (no network); return ``pdf``."""
    if CHROMIUM is None:
        raise RuntimeError("needs Debian's chromium: run scripts/setup-system (make test does)")
    source = work / (pdf.stem + ".html")
    source.write_text(page_html, "utf-8")
    chromium(work, source, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    return pdf


def html_page(title: str, body: list[str], lang: str) -> str:
    """Return an HTML page of ``body``'s elements, styled for printing on A4."""
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def printable(saved_page: str) -> str:
    """Return a saved HTML page styled for printing on A4, its tables ruled as vendors'
    PDFs rule them."""
    return saved_page.replace("</head>", f"<style>{_STYLE}</style></head>", 1)


def _fragment(cell: str) -> str:
    """Return an annex cell (an HTML fragment, as extracted) with bare ampersands escaped."""
    return re.sub(r"&(?![a-zA-Z]+;|#\d+;)", "&amp;", cell)


def annex_html(text: str, lang: str) -> str:
    """Return the HTML page a tab-separated annex was extracted from: the title, the text
    before the table, the table (its header in ``<thead>``) and the text after it."""
    lines = [line for line in text.split("\n") if line.strip()]
    header = next(i for i, line in enumerate(lines) if "\t" in line)
    title = lines[0].strip()
    body = [f"<h1>{html.escape(title)}</h1>"]
    body += [f"<p>{html.escape(line.strip())}</p>" for line in lines[1:header]]
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in lines[header].split("\t"))
    body.append(f"<table><thead><tr>{head}</tr></thead><tbody>")
    after = []
    for line in lines[header + 1 :]:
        if "\t" in line:
            cells = "".join(f"<td>{_fragment(cell)}</td>" for cell in line.split("\t"))
            body.append(f"<tr>{cells}</tr>")
        elif line.strip() != title:  # the title repeated at a page break of the original
            after.append(f"<p>{html.escape(line.strip())}</p>")
    body.append("</tbody></table>")
    return html_page(title, body + after, lang)


# An English list in the manner vendors publish them: (name, purpose, personal data, location)
LIST_ROWS = [
    ("Amazon Web Services EMEA SARL", "Hosting and storage", "All customer data", "Ireland"),
    ("Cloudflare, Inc.", "Content delivery and DDoS protection", "IP address", "USA (SCCs)"),
    ("MongoDB Limited", "Managed database", "All customer data", "Ireland, Germany"),
    ("Datadog, Inc.", "Monitoring and logging", "IP address, log data", "USA (SCCs)"),
    ("Twilio Ireland Limited", "SMS notifications", "Phone number, message content", "Ireland"),
    ("Mailgun Technologies, Inc.", "Transactional email", "Name, email address", "USA (DPF)"),
    (
        "Stripe Payments Europe Ltd",
        "Payment processing",
        "Name, billing address\nPayment card data",
        "Ireland",
    ),
    ("Salesforce, Inc.", "Customer relationship management", "Name, email address", "USA (SCCs)"),
    ("HubSpot Ireland Limited", "Marketing email", "Name, email address", "Ireland"),
    ("Atlassian Pty Ltd", "Issue tracking", "User ID, name", "Australia (SCCs)"),
    ("Google Ireland Limited", "Email and documents", "Name, email address", "Ireland"),
    ("Intercom R&D Unlimited Company", "In-app messaging", "Name, user ID", "Ireland"),
    ("Snowflake Computing Netherlands B.V.", "Data warehouse", "Usage data", "Netherlands"),
    (
        "Freshworks Technologies B.V.",
        "Customer support ticketing, live chat and phone support",
        "Name, email address, phone number and job title of users who contact support; "
        "support correspondence and chat transcripts, with the attachments users add to "
        "tickets; call recordings of support calls; satisfaction ratings; IP address, browser "
        "and device information; user ID and the account settings needed to reproduce a "
        "problem a user reports. Tickets are kept for 24 months after they are closed, call "
        "recordings for 90 days. Support staff in India answer tickets outside European "
        "working hours and see a ticket's content only when they work on it.",
        "Netherlands, India (SCCs), USA (SCCs), Australia (SCCs)",
    ),
    ("Functional Software, Inc.", "Error tracking", "IP address, user ID", "USA (SCCs)"),
    ("DocuSign International (EMEA) Limited", "Electronic signature", "Name", "Ireland"),
    ("Zoom Video Communications, Inc.", "Video meetings", "Name, email address", "USA (DPF)"),
]
# the row tall enough that the page break cuts it
BROKEN = "Freshworks Technologies B.V."


def _row(*cells: str, first_rowspan: int = 1) -> str:
    span = f' rowspan="{first_rowspan}"' if first_rowspan > 1 else ""
    texts = [html.escape(cell).replace("\n", "<br>") for cell in cells]
    tds = [f"<td{span if i == 0 else ''}>{text}</td>" for i, text in enumerate(texts)]
    return "<tr>" + "".join(tds) + "</tr>"


def _section(title: str) -> str:
    return f'<tr><td colspan="4">{html.escape(title)}</td></tr>'


def list_html() -> str:
    """Return an English sub-processor list page, two pages long when printed on A4: its
    header row is not repeated, one row is broken by the page break, one name spans two rows
    and two section headings span the table."""
    rows = [_row(*cells) for cells in LIST_ROWS]
    rows[9:9] = [
        _row(
            "Zendesk, Inc.",
            "Support ticketing",
            "Name, email address",
            "USA (SCCs)",
            first_rowspan=2,
        ),
        _row("Help centre", "Name, email address", "Ireland"),
    ]
    rows.insert(4, _section("Communication and business tools"))
    body = [
        "<h1>Skyhook Sub-processors</h1>",
        "<p>Last updated: 3 March 2025</p>",
        "<p>Skyhook engages the sub-processors below to provide the Skyhook platform. We give "
        "customers 30 days' notice before we engage a new sub-processor.</p>",
        "<table><tbody>",
        "<tr><th>Sub-processor</th><th>Purpose</th><th>Personal data</th><th>Location</th></tr>",
        _section("Infrastructure"),
        *rows,
        "</tbody></table>",
        "<p>SCCs: Standard Contractual Clauses. DPF: EU-US Data Privacy Framework.</p>",
    ]
    return html_page("Skyhook Sub-processors", body, "en")


# -- PDFs written byte by byte ---------------------------------------------------------------


def write_pdf(objects: list[bytes], root: int = 1, size: int | None = None) -> bytes:
    """Return a PDF of ``objects`` (numbered from 1) with a cross-reference table and a
    trailer; ``size`` is the object count the trailer declares (the real one by default)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    declared = size if size is not None else len(objects) + 1
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (declared, root))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica%s >>"


def _page_object(font: bytes = _FONT % b"") -> bytes:
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
        b"/Resources << /Font << /F1 %s >> >> >>" % font
    )


def _stream(data: bytes, flate: bool = False) -> bytes:
    kind = b" /Filter /FlateDecode" if flate else b""
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(data), kind, data)


_SAYING = _stream(b"BT /F1 12 Tf 72 720 Td (Sub-processors) Tj ET")


def _one_page(contents: bytes = _SAYING, page: bytes = _page_object(), more: int = 0) -> bytes:
    """Return a PDF of one page (object 4) drawn by ``contents`` (object 3), and ``more``
    empty objects."""
    pages = b"<< /Type /Pages /Count 1 /Kids [4 0 R] >>"
    return write_pdf([_CATALOG, pages, contents, page, *[b"null"] * more])


def many_pages_pdf(count: int) -> bytes:
    """Return a PDF of ``count`` pages, each saying "Sub-processors" (a page-count bomb)."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    pages = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (count, kids)
    return write_pdf([_CATALOG, pages, _SAYING, *[_page_object()] * count])


def many_objects_pdf(count: int) -> bytes:
    """Return a one-page PDF that also holds ``count`` empty objects (an object-count bomb)."""
    return _one_page(more=count)


def nested_pdf(depth: int) -> bytes:
    """Return a one-page PDF whose text operator and font widths are arrays nested ``depth``
    deep (a nesting bomb: a recursive reader runs out of stack)."""
    nested = b"[" * depth + b"]" * depth
    contents = _stream(b"BT /F1 12 Tf 72 720 Td %s TJ ET" % nested)
    return _one_page(contents, _page_object(_FONT % (b" /Widths " + nested)))


def inflating_pdf(size: int) -> bytes:
    """Return a one-page PDF whose content stream inflates to ``size`` bytes (a zip bomb)."""
    squeeze = zlib.compressobj(1)
    chunk = b" " * 2**20
    packed = b"".join(squeeze.compress(chunk) for _ in range(size // len(chunk)))
    return _one_page(_stream(packed + squeeze.flush(), flate=True))


def scanned_pdf(text_pdf: Path) -> bytes:
    """Return the first page of ``text_pdf`` as a scan would give it: an image, no text."""
    import pypdfium2

    document = pypdfium2.PdfDocument(text_pdf)
    try:
        image = document[0].render(scale=1.5).to_pil().convert("L")
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=108)
    return out.getvalue()


def encrypted_pdf(text_pdf: Path, user_password: str) -> bytes:
    """Return ``text_pdf`` encrypted (AES-128); an empty ``user_password`` leaves it openable
    by anyone, restricted by an owner password only."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(text_pdf))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
