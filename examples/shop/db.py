"""Storage for the shop: a SQLite file of users and orders.

DELIBERATELY VULNERABLE: see README.md. Never copy this code.
"""
import hashlib
import sqlite3

DATABASE = "shop.db"


def connect():
    return sqlite3.connect(DATABASE)


def init_db():
    conn = connect()
    conn.execute("CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, password_hash TEXT, is_admin INT)")
    conn.execute("CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, owner TEXT, item TEXT, qty INT)")
    conn.commit()
    conn.close()


def hash_password(password):
    # Vulnerable: unsalted MD5 is not a password hash.
    return hashlib.md5(password.encode()).hexdigest()


def add_user(name, password, is_admin=False):
    conn = connect()
    conn.execute("INSERT INTO users VALUES (?, ?, ?)", (name, hash_password(password), int(is_admin)))
    conn.commit()
    conn.close()


def find_user(name, password):
    conn = connect()
    # Vulnerable: SQL injection, the user's input is formatted into the query.
    query = "SELECT name, is_admin FROM users WHERE name = '%s' AND password_hash = '%s'" % (
        name, hash_password(password))
    row = conn.execute(query).fetchone()
    conn.close()
    return row


def orders_of(owner, sort):
    conn = connect()
    # Vulnerable: SQL injection through an f-string (the sort column comes from the URL).
    rows = conn.execute(f"SELECT id, item, qty FROM orders WHERE owner = '{owner}' ORDER BY {sort}").fetchall()
    conn.close()
    return rows
