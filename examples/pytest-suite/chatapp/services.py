import os

KNOWN_SERVICES = {"postgres", "redis"}


class ServiceError(Exception):
    pass


def start_docker_services():
    if not os.environ.get("CHATAPP_DOCKER_HOST"):
        raise RuntimeError("Failed to start Docker services")
    return True


def service_url(name):
    if name not in KNOWN_SERVICES:
        raise ServiceError(f"no such service: {name}")
    return f"tcp://{name}:5432"
