#!/usr/bin/env python3
"""Sample `worker` (the Telegram bot) for the opsbot demo: writes realistic log lines —
the startup line, INFO traffic, a heartbeat, an occasional ERROR and now and then the
409 Conflict line that two polling instances cause."""
import logging
import os
import random
import time

LOG = os.environ.get("WORKER_LOG")
INTERVAL = float(os.environ.get("WORKER_INTERVAL", "2"))

logging.basicConfig(filename=LOG, level=logging.INFO, format="%(asctime)s - %(name)s - %(levelname)s - %(message)s")
log = logging.getLogger("bot")

log.info("Starting bot with token: %s...", "1234567890"[:4])
log.info("API Gateway URL: http://127.0.0.1:%s", os.environ.get("PORT", "8089"))
log.info("Bot is starting polling...")
n = 0
while True:
    n += 1
    r = random.random()
    if r < 0.05:
        log.error("telegram.error.Conflict: Conflict: terminated by other getUpdates request; "
                  "make sure that only one bot instance is running")
    elif r < 0.12:
        log.error("create_payment failed: provider timeout after 10s (user_id=%d)", random.randint(1000, 9999))
    elif r < 0.15:
        log.warning("RuntimeWarning: coroutine 'send_reminder' was never awaited")
    else:
        log.info("update %d handled in %d ms", 100000 + n, random.randint(5, 200))
    if n % 5 == 0:
        log.info("heartbeat ok")
    time.sleep(INTERVAL)
