"""The shop's web service: login, orders, a stock importer and a network check for the admins.

DELIBERATELY VULNERABLE: see README.md. Never deploy it.
"""
import base64
import pickle
import subprocess

import db
import requests
import yaml
from flask import Flask, jsonify, request

app = Flask(__name__)

# FAKE credentials for scanner tests: they were never issued by AWS and grant nothing. They are shaped like a
# real key pair on purpose, so that secret scanners flag them.
AWS_ACCESS_KEY_ID = "AKIA4QZ7HX2LWRTE5NBJ"
AWS_SECRET_ACCESS_KEY = "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"
ADMIN_PASSWORD = "Sh0pAdmin!2019"

app.secret_key = "dev-secret-key"


@app.route("/login", methods=["POST"])
def login():
    user = db.find_user(request.form["name"], request.form["password"])
    if user is None:
        return jsonify(error="bad credentials"), 401
    return jsonify(name=user[0], admin=bool(user[1]))


@app.route("/orders/<owner>")
def orders(owner):
    return jsonify(db.orders_of(owner, request.args.get("sort", "id")))


@app.route("/admin/ping")
def ping():
    host = request.args.get("host", "localhost")
    # Vulnerable: command injection, the host goes to a shell (try host=localhost;id).
    output = subprocess.check_output("ping -c 1 " + host, shell=True)
    return output, 200, {"Content-Type": "text/plain"}


@app.route("/admin/stock", methods=["POST"])
def import_stock():
    # Vulnerable: yaml.Loader builds arbitrary Python objects from the request body.
    stock = yaml.load(request.data, Loader=yaml.Loader)
    return jsonify(items=len(stock or []))


@app.route("/cart")
def cart():
    # Vulnerable: unpickling a cookie runs whatever code the client put in it.
    raw = request.cookies.get("cart", "")
    items = pickle.loads(base64.b64decode(raw)) if raw else []
    return jsonify(items=items)


@app.route("/admin/supplier-prices")
def supplier_prices():
    resp = requests.get(
        "https://supplier.example.com/prices",
        auth=(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY),
        verify=False,
    )
    return jsonify(resp.json())


if __name__ == "__main__":
    db.init_db()
    db.add_user("admin", ADMIN_PASSWORD, is_admin=True)
    # Vulnerable: the Werkzeug debugger allows remote code execution, and it listens on every interface.
    app.run(host="0.0.0.0", port=5000, debug=True)
