# The reference's forgot_password, reset_password and verify_email examples against BASE, with the
# unique_code read from the mail actually sent (the local outbox, GET /-/outbox, enabled by
# MAIL_OUTBOX=d1 in .dev.vars). Run: /usr/bin/python3 scripts/reference/mail.py
import hashlib
import json
import os
import re
import sys
import time

import requests

BASE = os.environ.get("BASE", "http://127.0.0.1:8787")
suffix = os.environ.get("SUFFIX", str(os.getpid()))
username = "Test User " + suffix
email = "test.user." + suffix + "@nowhere.com"
password = "Trial151!"


def show(name, response):
    ok = response.get("status") == "success"
    print(("OK   " if ok else "FAIL ") + name + " " + json.dumps(response)[:240])
    if not ok:
        sys.exit(1)
    return response


def mailed_link(to, pattern):
    for _ in range(50):
        for mail in requests.get(BASE + "/-/outbox", params={"to": to}).json():
            m = re.search(pattern, mail["text"])
            if m:
                return m
        time.sleep(0.1)
    sys.exit("FAIL no mail to " + to)


digest = lambda p: hashlib.sha256(hashlib.sha256(p.encode()).digest()).hexdigest()
requests.post(BASE + "/v2/signup", json.dumps({"email": email, "username": username, "password": digest(password)}))

# verify_email (reference example)
query = {"username_email": username, "password": digest(password)}
response = requests.post(BASE + "/v2/login", json.dumps(query)).json()
query = {"userid": response["output"]["userid"], "token": response["output"]["token"]}
show("verify_email", requests.post(BASE + "/v2/verify_email", json.dumps(query)).json())
link = mailed_link(email, r"(https?://\S+/-/verify\?code=[0-9a-f]+)").group(1)
page = requests.get(link)
print(("OK   " if page.status_code == 200 else "FAIL ") + "open verification link " + str(page.status_code))
show("check_credentials (email_verified)", requests.post(BASE + "/v2/check_credentials", json.dumps(query)).json())

# forgot_password (reference example)
query = {"username_email": username}
show("forgot_password", requests.post(BASE + "/v2/forgot_password", json.dumps(query)).json())
unique_code = mailed_link(email, r"#code=([0-9a-f]{32})").group(1)

# reset_password (reference example)
password = "ResetNew121!"
query = {"unique_code": unique_code, "email": email, "password": digest(password)}
show("reset_password", requests.post(BASE + "/v2/reset_password", json.dumps(query)).json())
again = requests.post(BASE + "/v2/reset_password", json.dumps(query)).json()
print(("OK   " if again["status"] == "error" else "FAIL ") + "reused code refused " + json.dumps(again.get("error")))
show("login with the new password", requests.post(BASE + "/v2/login", json.dumps({"username_email": email, "password": digest(password)})).json())
