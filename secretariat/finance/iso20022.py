"""ISO 20022 messages exchanged with banks: pain.001 credit transfers out, camt.053/054 in.

pain.001.001.09 (customer credit transfer initiation) is written with lxml; tests validate it
against the schema file shipped by the ``sepaxml`` package (ADR 0012). camt.053 (bank-to-customer
statement, versions 001.02 to 001.08) is read namespace-agnostically: only the elements the
reconciliation needs; camt.054 notifications the same way, without balances.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from lxml import etree

from secretariat.finance.currencies import amount_text

PAIN_001_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"


def pain001_credit_transfer(*, run, debtor_name: str, created_at: datetime.datetime) -> bytes:
    """The pain.001.001.09 file instructing the bank to pay every payment of ``run``."""
    ns = PAIN_001_NAMESPACE
    E = lambda tag, *children, text=None, **attrs: element(ns, tag, children, text, attrs)  # noqa: E731
    payments = list(run.payments.select_related("invoice__vendor").order_by("id"))
    account = run.bank_account
    # Amounts carry the currency's minor units from entry, so the control sum is exact.
    total = amount_text(sum((p.amount for p in payments), Decimal("0")), account.currency)
    transactions = [
        E("CdtTrfTxInf",
          E("PmtId", E("InstrId", text=p.end_to_end_id), E("EndToEndId", text=p.end_to_end_id)),
          E("Amt", E("InstdAmt", text=amount_text(p.amount, p.currency), Ccy=p.currency)),
          E("CdtrAgt", E("FinInstnId", E("BICFI", text=p.invoice.vendor.bic))),
          E("Cdtr", E("Nm", text=payee_name(p.invoice.vendor, latin_only=account.latin_characters_only)[:140]),
            E("PstlAdr", E("Ctry", text=p.invoice.vendor.country.alpha2))),
          E("CdtrAcct", E("Id", E("IBAN", text=p.invoice.vendor.iban))),
          E("RmtInf", E("Ustrd", text=f"{p.invoice.invoice_number}"[:140])))
        for p in payments
    ]
    document = E(
        "Document",
        E("CstmrCdtTrfInitn",
          E("GrpHdr",
            E("MsgId", text=run.reference),
            E("CreDtTm", text=created_at.replace(microsecond=0).isoformat()),
            E("NbOfTxs", text=str(len(payments))),
            E("CtrlSum", text=total),
            E("InitgPty", E("Nm", text=debtor_name[:140]))),
          E("PmtInf",
            E("PmtInfId", text=run.reference),
            E("PmtMtd", text="TRF"),
            E("NbOfTxs", text=str(len(payments))),
            E("CtrlSum", text=total),
            E("ReqdExctnDt", E("Dt", text=run.payment_on.isoformat())),
            E("Dbtr", E("Nm", text=debtor_name[:140])),
            E("DbtrAcct", E("Id", E("IBAN", text=account.iban)), E("Ccy", text=account.currency)),
            E("DbtrAgt", E("FinInstnId", E("BICFI", text=account.bic))),
            E("ChrgBr", text="SHAR"),
            *transactions)),
    )
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# The characters every bank accepts in payment messages (the SEPA / EPC basic Latin set).
BANK_LATIN = re.compile(r"^[A-Za-z0-9/?:().,'+ -]*$")


def is_bank_latin(text: str) -> bool:
    return bool(BANK_LATIN.match(text))


def payee_name(vendor, *, latin_only: bool) -> str:
    """The vendor's name as entered, or its Latin transliteration for a bank that needs one."""
    if latin_only and not is_bank_latin(vendor.name):
        return vendor.latin_name
    return vendor.name


def element(ns, tag, children, text, attrs):
    node = etree.Element(f"{{{ns}}}{tag}", nsmap={None: ns} if tag == "Document" else None, **attrs)
    if text is not None:
        node.text = text
    for child in children:
        node.append(child)
    return node


@dataclass
class ParsedLine:
    """One transaction: a single entry, or one ``TxDtls`` of a batch entry."""

    booked_on: datetime.date
    amount: Decimal  # positive = money in
    reference: str = ""
    counterparty: str = ""
    currency: str = ""
    entry_reference: str = ""  # the bank's reference of the entry (shared by a batch's transactions)
    is_reversal: bool = False


@dataclass
class ParsedStatement:
    statement_id: str
    statement_on: datetime.date
    iban: str
    currency: str
    opening_balance: Decimal | None  # None in a camt.054 notification (no balances)
    closing_balance: Decimal | None
    lines: list[ParsedLine] = field(default_factory=list)
    other_account_id: str = ""  # Acct/Id/Othr/Id when the account has no IBAN
    source_format: str = "camt053"


class UnreadableStatement(ValueError):
    pass


def without_namespaces(root):
    """The tree with every element named by its local name: camt versions differ in namespace only
    for what is read here, and plain paths are much faster to evaluate than local-name() tests."""
    for node in root.iter():
        if isinstance(node.tag, str):
            node.tag = etree.QName(node).localname
    return root


def text_of(node, path: str, default: str = "") -> str:
    found = node.find(path)
    return found.text.strip() if found is not None and found.text else default


def parse_without_doctype(content: bytes):
    """The root of an XML file that declares no DOCTYPE.

    A bank statement never needs a DTD, and a DOCTYPE is how entity expansion ("billion laughs")
    and external entities (reading local files, calling out to the network) get in, so any is
    refused. The parser neither loads DTDs nor resolves entities nor uses the network, so nothing
    declared is acted upon before the refusal.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        tree = etree.fromstring(content, parser=parser).getroottree()
    except etree.XMLSyntaxError as error:
        raise UnreadableStatement(str(error)) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UnreadableStatement(_("the file declares a document type (DOCTYPE), which bank statements never "
                                    "need; it is refused"))
    return tree.getroot()


# camt.053 statements (Stmt, with balances) and camt.054 debit/credit notifications (Ntfctn, none).
CAMT_REPORTS = {"camt053": "BkToCstmrStmt/Stmt", "camt054": "BkToCstmrDbtCdtNtfctn/Ntfctn"}
OPENING_BALANCES = ("OPBD", "PRCD")  # opening booked, or the previous statement's closing booked
BOOKED = "BOOK"


def parse_camt(content: bytes) -> list[ParsedStatement]:
    """Statements in a camt.053 (001.02–001.08) or notifications in a camt.054 file.

    Only booked entries become lines (``<Sts>BOOK</Sts>`` up to 001.03, ``<Sts><Cd>BOOK</Cd></Sts>``
    from 001.08); each ``TxDtls`` of a batch entry is its own line; a statement's closing balance
    must be its opening balance plus its booked entries.
    """
    root = without_namespaces(parse_without_doctype(content))
    for source_format, path in CAMT_REPORTS.items():
        reports = root.findall(path)
        if reports:
            return [parse_report(report, source_format) for report in reports]
    raise UnreadableStatement(_("no camt.053 statement (BkToCstmrStmt/Stmt) or camt.054 notification "
                                "(BkToCstmrDbtCdtNtfctn/Ntfctn) found"))


def parse_report(report, source_format: str) -> ParsedStatement:
    balances = {}
    for balance in report.findall("Bal"):
        code = text_of(balance, "Tp/CdOrPrtry/Cd")
        amount = signed(text_of(balance, "Amt"), text_of(balance, "CdtDbtInd"))
        balances[code] = (amount, text_of(balance, "Dt/Dt") or text_of(balance, "Dt/DtTm")[:10])
    opening = next((balances[code] for code in OPENING_BALANCES if code in balances), None)
    if source_format == "camt053" and (opening is None or "CLBD" not in balances):
        raise UnreadableStatement(_("the statement lacks its opening (OPBD or PRCD) or closing (CLBD) balance"))
    lines = [line for number, entry in enumerate(report.findall("Ntry"), start=1)
             for line in booked_lines(entry, number)]
    if "CLBD" in balances:
        statement_on = parse_date(balances["CLBD"][1])
    else:
        statement_on = max((line.booked_on for line in lines), default=None) or parse_date(text_of(report, "CreDtTm"))
    first_amount = report.find("Bal/Amt")
    parsed = ParsedStatement(
        statement_id=text_of(report, "Id"), statement_on=statement_on,
        iban=text_of(report, "Acct/Id/IBAN").replace(" ", ""), other_account_id=text_of(report, "Acct/Id/Othr/Id"),
        currency=text_of(report, "Acct/Ccy") or (first_amount.get("Ccy", "") if first_amount is not None else ""),
        opening_balance=opening[0] if opening else None,
        closing_balance=balances["CLBD"][0] if "CLBD" in balances else None, lines=lines,
        source_format=source_format)
    if parsed.opening_balance is not None and parsed.closing_balance is not None:
        entries = sum((line.amount for line in lines), Decimal("0"))
        if parsed.opening_balance + entries != parsed.closing_balance:
            raise UnreadableStatement(
                _("the closing balance %(closing)s is not the opening balance %(opening)s plus the booked "
                  "entries %(entries)s (that would be %(expected)s)") % {
                    "closing": parsed.closing_balance, "opening": parsed.opening_balance, "entries": entries,
                    "expected": parsed.opening_balance + entries})
    return parsed


def entry_name(entry, number: int) -> str:
    reference = text_of(entry, "AcctSvcrRef") or text_of(entry, "NtryRef")
    return f"{number} ({reference})" if reference else str(number)


def booked_lines(entry, number: int) -> list[ParsedLine]:
    """The entry's transactions if it is booked (none otherwise): one per ``TxDtls``."""
    if (text_of(entry, "Sts/Cd") or text_of(entry, "Sts")) != BOOKED:
        return []
    amount_node = entry.find("Amt")
    indicator = text_of(entry, "CdtDbtInd")
    amount = signed(text_of(entry, "Amt"), indicator)
    common = dict(
        booked_on=parse_date(text_of(entry, "BookgDt/Dt") or text_of(entry, "BookgDt/DtTm")[:10]),
        currency=amount_node.get("Ccy", "") if amount_node is not None else "",
        entry_reference=text_of(entry, "AcctSvcrRef") or text_of(entry, "NtryRef"),
        is_reversal=text_of(entry, "RvslInd").lower() in ("true", "1"))
    transactions = entry.findall("NtryDtls/TxDtls")
    if not transactions:
        return [ParsedLine(amount=amount, reference=common["entry_reference"], **common)]
    if len(transactions) == 1 and transaction_amount(transactions[0], indicator) is None:
        return [ParsedLine(amount=amount, reference=transaction_reference(transactions[0])
                           or common["entry_reference"], counterparty=counterparty_of(transactions[0]), **common)]
    lines = []
    for details in transactions:
        transaction_value = transaction_amount(details, indicator)
        if transaction_value is None:
            raise UnreadableStatement(
                _("entry %(entry)s is a batch of %(count)s transactions but not every transaction gives its "
                  "amount") % {"entry": entry_name(entry, number), "count": len(transactions)})
        lines.append(ParsedLine(amount=transaction_value, reference=transaction_reference(details),
                                counterparty=counterparty_of(details), **common))
    total = sum((line.amount for line in lines), Decimal("0"))
    if total != amount:
        raise UnreadableStatement(
            _("the transactions of entry %(entry)s add up to %(total)s, not to the entry's %(amount)s") % {
                "entry": entry_name(entry, number), "total": total, "amount": amount})
    return lines


def transaction_amount(details, entry_indicator: str) -> Decimal | None:
    """The transaction's amount in the account's currency (``Amt`` from 001.03, ``AmtDtls/TxAmt`` before)."""
    value = text_of(details, "Amt") or text_of(details, "AmtDtls/TxAmt/Amt")
    if not value:
        return None
    return signed(value, text_of(details, "CdtDbtInd") or entry_indicator)


def transaction_reference(details) -> str:
    end_to_end = text_of(details, "Refs/EndToEndId")
    if end_to_end and end_to_end != "NOTPROVIDED":
        return end_to_end
    return text_of(details, "RmtInf/Ustrd") or text_of(details, "RmtInf/Strd/CdtrRefInf/Ref")


def counterparty_of(details) -> str:
    return (text_of(details, "RltdPties/Dbtr/Nm") or text_of(details, "RltdPties/Cdtr/Nm")
            or text_of(details, "RltdPties/Dbtr/Pty/Nm") or text_of(details, "RltdPties/Cdtr/Pty/Nm"))


def signed(amount: str, indicator: str) -> Decimal:
    try:
        value = Decimal(amount)
    except InvalidOperation:
        raise UnreadableStatement(f"not an amount: {amount!r}") from None
    return -value if indicator == "DBIT" else value


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise UnreadableStatement(f"not a date: {value!r}") from None


CSV_COLUMNS = ["booked_on", "amount", "reference", "counterparty"]


def parse_statement_csv(content: bytes, *, statement_id: str, opening_balance: Decimal) -> ParsedStatement:
    """A CSV statement: header ``booked_on,amount,reference,counterparty`` (ISO dates, signed amounts)."""
    try:
        reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
        if reader.fieldnames is None or not set(CSV_COLUMNS[:2]) <= set(reader.fieldnames):
            raise UnreadableStatement("the CSV header must name booked_on and amount")
        lines = [ParsedLine(parse_date(row["booked_on"]), signed(row["amount"].strip(), ""),
                            (row.get("reference") or "").strip(), (row.get("counterparty") or "").strip())
                 for row in reader]
    except UnicodeDecodeError:
        raise UnreadableStatement("the file is not UTF-8 text") from None
    if not lines:
        raise UnreadableStatement("the statement has no lines")
    closing = opening_balance + sum((ln.amount for ln in lines), Decimal("0"))
    return ParsedStatement(statement_id=statement_id, statement_on=max(ln.booked_on for ln in lines), iban="",
                           currency="", opening_balance=opening_balance, closing_balance=closing, lines=lines,
                           source_format="csv")
