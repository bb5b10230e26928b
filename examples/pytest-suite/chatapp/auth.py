import hashlib
import hmac
import secrets


def hash_password(password, salt=None):
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 20_000)
    return f"{salt}${digest.hex()}"


def check_password(password, stored):
    salt, _, expected = stored.partition("$")
    return hmac.compare_digest(hash_password(password, salt), f"{salt}${expected}")


def issue_token(user, secret, ttl, now):
    payload = f"{user}:{int(now + ttl)}"
    sig = hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()
    return f"{payload}:{sig}"


def verify_token(token, secret, now):
    user, expires, sig = token.rsplit(":", 2)
    payload = f"{user}:{expires}"
    good = hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(sig, good):
        return None
    if int(expires) < now:
        return None
    return user
