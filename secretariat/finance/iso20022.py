"""ISO 20022 messages exchanged with banks: pain.001 credit transfers out, camt.053 statements in.

pain.001.001.09 (customer credit transfer initiation) is written with lxml; tests validate it
against the schema file shipped by the ``sepaxml`` package (ADR 0012). camt.053 (bank-to-customer
statement, versions 001.02 to 001.08) is read namespace-agnostically: only the elements the
reconciliation needs.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from lxml import etree

PAIN_001_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"


def pain001_credit_transfer(*, run, debtor_name: str, created_at: datetime.datetime) -> bytes:
    """The pain.001.001.09 file instructing the bank to pay every payment of ``run``."""
    ns = PAIN_001_NAMESPACE
    E = lambda tag, *children, text=None, **attrs: element(ns, tag, children, text, attrs)  # noqa: E731
    payments = list(run.payments.select_related("invoice__vendor").order_by("id"))
    total = sum((p.amount for p in payments), Decimal("0"))
    account = run.bank_account
    transactions = [
        E("CdtTrfTxInf",
          E("PmtId", E("InstrId", text=p.end_to_end_id), E("EndToEndId", text=p.end_to_end_id)),
          E("Amt", E("InstdAmt", text=f"{p.amount:.2f}", Ccy=p.currency)),
          E("CdtrAgt", E("FinInstnId", E("BICFI", text=p.invoice.vendor.bic))),
          E("Cdtr", E("Nm", text=p.invoice.vendor.name[:140]),
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
            E("CtrlSum", text=f"{total:.2f}"),
            E("InitgPty", E("Nm", text=debtor_name[:140]))),
          E("PmtInf",
            E("PmtInfId", text=run.reference),
            E("PmtMtd", text="TRF"),
            E("NbOfTxs", text=str(len(payments))),
            E("CtrlSum", text=f"{total:.2f}"),
            E("ReqdExctnDt", E("Dt", text=run.payment_on.isoformat())),
            E("Dbtr", E("Nm", text=debtor_name[:140])),
            E("DbtrAcct", E("Id", E("IBAN", text=account.iban)), E("Ccy", text=account.currency)),
            E("DbtrAgt", E("FinInstnId", E("BICFI", text=account.bic))),
            E("ChrgBr", text="SHAR"),
            *transactions)),
    )
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def element(ns, tag, children, text, attrs):
    node = etree.Element(f"{{{ns}}}{tag}", nsmap={None: ns} if tag == "Document" else None, **attrs)
    if text is not None:
        node.text = text
    for child in children:
        node.append(child)
    return node


@dataclass
class ParsedLine:
    booked_on: datetime.date
    amount: Decimal  # positive = money in
    reference: str = ""
    counterparty: str = ""


@dataclass
class ParsedStatement:
    statement_id: str
    statement_on: datetime.date
    iban: str
    currency: str
    opening_balance: Decimal
    closing_balance: Decimal
    lines: list[ParsedLine] = field(default_factory=list)


class UnreadableStatement(ValueError):
    pass


def local(node, path: str):
    """First descendant along ``a/b/c`` ignoring namespaces (camt versions differ only there)."""
    expression = "/".join(f"*[local-name()='{part}']" for part in path.split("/"))
    found = node.xpath(expression)
    return found[0] if found else None


def text_of(node, path: str, default: str = "") -> str:
    found = local(node, path)
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


def parse_camt053(content: bytes) -> list[ParsedStatement]:
    """Statements in a camt.053 file: account, balances (OPBD/CLBD) and booked entries."""
    root = parse_without_doctype(content)
    statements = root.xpath("//*[local-name()='BkToCstmrStmt']/*[local-name()='Stmt']")
    if not statements:
        raise UnreadableStatement("no camt.053 statement (BkToCstmrStmt/Stmt) found")
    result = []
    for stmt in statements:
        balances = {}
        for balance in stmt.xpath("*[local-name()='Bal']"):
            code = text_of(balance, "Tp/CdOrPrtry/Cd")
            amount = signed(text_of(balance, "Amt"), text_of(balance, "CdtDbtInd"))
            balances[code] = (amount, text_of(balance, "Dt/Dt") or text_of(balance, "Dt/DtTm")[:10])
        if "OPBD" not in balances or "CLBD" not in balances:
            raise UnreadableStatement("the statement lacks its opening (OPBD) or closing (CLBD) balance")
        parsed = ParsedStatement(
            statement_id=text_of(stmt, "Id"), statement_on=parse_date(balances["CLBD"][1]),
            iban=text_of(stmt, "Acct/Id/IBAN"), currency=text_of(stmt, "Acct/Ccy") or
            (local(stmt, "Bal/Amt").get("Ccy") if local(stmt, "Bal/Amt") is not None else ""),
            opening_balance=balances["OPBD"][0], closing_balance=balances["CLBD"][0])
        for entry in stmt.xpath("*[local-name()='Ntry']"):
            if text_of(entry, "Sts") not in ("BOOK", "") and text_of(entry, "Sts/Cd") not in ("BOOK",):
                continue
            details = local(entry, "NtryDtls/TxDtls")
            reference = counterparty = ""
            if details is not None:
                reference = (text_of(details, "Refs/EndToEndId") if text_of(details, "Refs/EndToEndId") not in (
                    "", "NOTPROVIDED") else text_of(details, "RmtInf/Ustrd"))
                counterparty = text_of(details, "RltdPties/Dbtr/Nm") or text_of(details, "RltdPties/Cdtr/Nm") or \
                    text_of(details, "RltdPties/Dbtr/Pty/Nm") or text_of(details, "RltdPties/Cdtr/Pty/Nm")
            parsed.lines.append(ParsedLine(
                booked_on=parse_date(text_of(entry, "BookgDt/Dt") or text_of(entry, "BookgDt/DtTm")[:10]),
                amount=signed(text_of(entry, "Amt"), text_of(entry, "CdtDbtInd")),
                reference=reference or text_of(entry, "AcctSvcrRef"), counterparty=counterparty))
        result.append(parsed)
    return result


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
                           currency="", opening_balance=opening_balance, closing_balance=closing, lines=lines)
