# The reference's account examples, as written in api-v2-reference.txt, against BASE (default
# http://127.0.0.1:8787). Run: /usr/bin/python3 scripts/reference/accounts.py
# Each step asserts the envelope's status; the script prints one line per call.
import hashlib
import json
import os
import sys

import requests

BASE = os.environ.get("BASE", "http://127.0.0.1:8787")
suffix = os.environ.get("SUFFIX", str(os.getpid()))
username = "Test User " + suffix
email = "test.user." + suffix + "@nowhere.com"
password = "Trial151!"
password_new = "NewPassword12!"


def show(name, response):
    ok = response.get("status") == "success"
    print(("OK   " if ok else "FAIL ") + name + " " + json.dumps(response)[:300])
    if not ok:
        sys.exit(1)
    return response


# temporary_account
response = requests.post(BASE + "/v2/temporary_account", "{}").json()
show("temporary_account", response)

# signup
query = {
    "email": email,
    "username": username,
    "password": hashlib.sha256(hashlib.sha256(password.encode()).digest()).hexdigest(),
}
show("signup", requests.post(BASE + "/v2/signup", json.dumps(query)).json())

# login
query = {
    "username_email": username,
    "password": hashlib.sha256(hashlib.sha256(password.encode()).digest()).hexdigest(),
}
response = show("login", requests.post(BASE + "/v2/login", json.dumps(query)).json())

# check_credentials
query = {"userid": response["output"]["userid"], "token": response["output"]["token"]}
show("check_credentials", requests.post(BASE + "/v2/check_credentials", json.dumps(query)).json())

# change_password
query = {
    "userid": response["output"]["userid"],
    "token": response["output"]["token"],
    "password": hashlib.sha256(hashlib.sha256(password.encode()).digest()).hexdigest(),
    "password_new": hashlib.sha256(hashlib.sha256(password_new.encode()).digest()).hexdigest(),
}
show("change_password", requests.post(BASE + "/v2/change_password", json.dumps(query)).json())

# logout
query = {"userid": response["output"]["userid"], "token": response["output"]["token"]}
show("logout", requests.post(BASE + "/v2/logout", json.dumps(query)).json())

# multi: login broadcast into check_credentials
query = {
    "call_queries": [
        {
            "type": "login",
            "broadcast": True,
            "input": {
                "username_email": username,
                "password": hashlib.sha256(hashlib.sha256(password_new.encode()).digest()).hexdigest(),
            },
        },
        {"type": "check_credentials", "input": {}},
    ],
}
response = show("multi", requests.post(BASE + "/v2/multi", json.dumps(query)).json())
for sub in response["output"]["call_responses"]:
    show("  multi/" + sub["type"], sub)
