"""A minimal IMAP4rev1 server for the mail-channel tests: one INBOX in memory, on a loopback port.

It speaks just what ``mail.fetch_mail`` uses (CAPABILITY, LOGIN, SELECT, UID SEARCH UNSEEN,
UID FETCH RFC822, UID STORE +FLAGS, NOOP, LOGOUT) over a real socket, so imaplib is exercised.
"""

import re
import socketserver
import threading


class Mailbox:
    def __init__(self, username: str, password: str):
        self.username, self.password = username, password
        self.messages: list[dict] = []
        self.lock = threading.Lock()

    def deliver(self, raw: bytes) -> None:
        with self.lock:
            self.messages.append({"uid": len(self.messages) + 1, "raw": raw, "seen": False})


class Handler(socketserver.StreamRequestHandler):
    def send(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")

    def handle(self):
        mailbox: Mailbox = self.server.mailbox
        self.send(b"* OK IMAP4rev1 test server ready")
        while line := self.rfile.readline():
            tag, _, rest = line.rstrip(b"\r\n").partition(b" ")
            command, _, arguments = rest.partition(b" ")
            command = command.upper()
            if command == b"CAPABILITY":
                self.send(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN")
            elif command == b"LOGIN":
                user, password = [part.strip(b'"') for part in arguments.split(b" ", 1)]
                if (user.decode(), password.decode()) != (mailbox.username, mailbox.password):
                    self.send(tag + b" NO LOGIN failed")
                    continue
            elif command == b"SELECT":
                self.send(b"* %d EXISTS" % len(mailbox.messages))
                self.send(b"* 0 RECENT")
                self.send(b"* FLAGS (\\Seen)")
                self.send(tag + b" OK [READ-WRITE] SELECT completed")
                continue
            elif command == b"UID":
                sub, _, params = arguments.partition(b" ")
                sub = sub.upper()
                if sub == b"SEARCH":
                    uids = [str(m["uid"]).encode() for m in mailbox.messages if not m["seen"]]
                    self.send(b"* SEARCH" + b"".join(b" " + uid for uid in uids))
                elif sub == b"FETCH":
                    uid = int(params.split(b" ")[0])
                    message = next(m for m in mailbox.messages if m["uid"] == uid)
                    self.wfile.write(b"* %d FETCH (UID %d RFC822 {%d}\r\n" % (uid, uid, len(message["raw"])))
                    self.wfile.write(message["raw"])
                    self.send(b")")
                elif sub == b"STORE":
                    uid = int(params.split(b" ")[0])
                    message = next(m for m in mailbox.messages if m["uid"] == uid)
                    message["seen"] = message["seen"] or bool(re.search(rb"\+FLAGS.*\\Seen", params))
                    self.send(b"* %d FETCH (UID %d FLAGS (\\Seen))" % (uid, uid))
            elif command == b"LOGOUT":
                self.send(b"* BYE logging out")
                self.send(tag + b" OK LOGOUT completed")
                return
            elif command != b"NOOP":
                self.send(tag + b" BAD unknown command")
                continue
            self.send(tag + b" OK " + command + b" completed")


class ImapServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mailbox: Mailbox):
        self.mailbox = mailbox
        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def port(self) -> int:
        return self.server_address[1]
