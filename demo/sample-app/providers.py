#!/usr/bin/env python3
"""Payment provider sandbox for the opsbot demo: YooKassa API v3 (/v3/me, /v3/payments/<id>)
and the Crypto Pay API (/api/getMe, /api/getInvoices) on one loopback port, read-only, with
the demo database's payments (demo/app-db.sql): payment 5 was paid at YooKassa 30 minutes ago
but its webhook never came (the payment_webhook_lost alert), payment 4 was canceled, 7 and the
Crypto Bot invoice CB-771209 are still open. Credentials are the demo ones scripts/demo.sh exports."""
import base64
import datetime
import http.server
import json
import logging
import os
import urllib.parse

PORT = int(os.environ.get("DEMO_PROVIDERS_PORT", "8094"))
LOG = os.environ.get("PROVIDERS_LOG")
SHOP = os.environ.get("YOOKASSA_SHOP_ID", "506751")
KEY = os.environ.get("YOOKASSA_SECRET_KEY", "")
TOKEN = os.environ.get("CRYPTOBOT_TOKEN", "")

logging.basicConfig(filename=LOG, level=logging.INFO, format="%(asctime)s - %(levelname)s - %(message)s")
START = datetime.datetime.now(datetime.timezone.utc)


def iso(minutes_ago):
    t = START - datetime.timedelta(minutes=minutes_ago)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def payment(n, status, amount, created, captured=None, cancel=None):
    pid = "2d8f1c3a-000f-5000-9000-1a2b3c4d5e0%d" % n
    p = {"id": pid, "status": status, "amount": {"value": amount, "currency": "RUB"},
         "recipient": {"account_id": SHOP, "gateway_id": "2001"}, "created_at": iso(created), "test": True,
         "paid": status in ("succeeded", "waiting_for_capture"), "refundable": status == "succeeded",
         "description": "HabitBot payment %d" % n, "metadata": {}}
    if captured is not None:
        p["captured_at"] = iso(captured)
        p["income_amount"] = {"value": amount, "currency": "RUB"}
    if cancel:
        p["cancellation_details"] = {"party": "yoo_money", "reason": cancel}
    return pid, p


PAYMENTS = dict([
    payment(1, "succeeded", "100.00", 3 * 1440, 3 * 1440 - 1),
    payment(2, "succeeded", "299.00", 2 * 1440, 2 * 1440 - 1),
    payment(4, "canceled", "299.00", 120, cancel="expired_on_confirmation"),
    payment(5, "succeeded", "250.00", 40, 30),   # paid, the webhook never came
    payment(7, "pending", "100.00", 3),
])


def invoice(iid, status, amount, payload, created, paid=None):
    i = {"invoice_id": iid, "hash": "IV%d" % iid, "currency_type": "fiat", "fiat": "USD", "accepted_assets": ["USDT", "TON"],
         "amount": amount, "bot_invoice_url": "https://t.me/CryptoTestnetBot?start=IV%d" % iid, "status": status,
         "created_at": iso(created), "allow_comments": True, "allow_anonymous": True, "payload": payload}
    if paid is not None:
        i.update({"paid_at": iso(paid), "paid_asset": "USDT", "paid_amount": amount, "paid_fiat_rate": "1.00", "paid_usd_rate": "1.00"})
    return i


INVOICES = [invoice(771209, "active", "5.00", "CB-771209", 25), invoice(771203, "paid", "500.00", "CB-771203", 1440, 1439)]


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path.startswith("/v3/"):
            expected = "Basic " + base64.b64encode(("%s:%s" % (SHOP, KEY)).encode()).decode()
            if not KEY or self.headers.get("Authorization") != expected:
                return self.answer(401, {"type": "error", "id": "demo", "code": "invalid_credentials",
                                         "description": "Authentication by given credentials failed", "parameter": "Authorization"})
            if url.path == "/v3/me":
                return self.answer(200, {"account_id": SHOP, "status": "enabled", "test": True, "fiscalization": {"enabled": False}})
            pid = url.path[len("/v3/payments/"):] if url.path.startswith("/v3/payments/") else None
            if pid in PAYMENTS:
                return self.answer(200, PAYMENTS[pid])
            return self.answer(404, {"type": "error", "id": "demo", "code": "not_found", "description": "Not found", "parameter": "payment_id"})
        if url.path.startswith("/api/"):
            if not TOKEN or self.headers.get("Crypto-Pay-API-Token") != TOKEN:
                return self.answer(401, {"ok": False, "error": {"code": 401, "name": "UNAUTHORIZED"}})
            if url.path == "/api/getMe":
                return self.answer(200, {"ok": True, "result": {"app_id": 12345, "name": "HabitBot demo",
                                                                "payment_processing_bot_username": "CryptoTestnetBot"}})
            if url.path == "/api/getInvoices":
                items = sorted(INVOICES, key=lambda i: -i["invoice_id"])
                if "invoice_ids" in query:
                    ids = {int(x) for x in query["invoice_ids"][0].split(",") if x.isdigit()}
                    items = [i for i in items if i["invoice_id"] in ids]
                offset, count = int(query.get("offset", ["0"])[0]), int(query.get("count", ["100"])[0])
                return self.answer(200, {"ok": True, "result": {"items": items[offset:offset + count]}})
            return self.answer(405, {"ok": False, "error": {"code": 405, "name": "METHOD_NOT_FOUND"}})
        return self.answer(404, {"error": "not found"})

    def log_message(self, fmt, *args):
        logging.info("%s %s", self.address_string(), fmt % args)


if __name__ == "__main__":
    logging.info("provider sandbox on 127.0.0.1:%d", PORT)
    http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
