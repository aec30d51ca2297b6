# The reference's signup example, as printed (base URL changed only).
import requests, json, hashlib
username = "Test User"
email = "test.user@nowhere.com"
password = "Trial151!"
query = {
    "email" : email,
    "username" : username,
    "password" : hashlib.sha256(hashlib.sha256(password.encode()).digest()).hexdigest(),
}
response = requests.post("http://127.0.0.1:8794/v2/signup", json.dumps(query)).json()
print(json.dumps(response, indent=2))
