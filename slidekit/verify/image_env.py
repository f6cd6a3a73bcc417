"""Environment variables that well-known official base images define in their image config.

BuildKit's UndefinedVar check knows a base image's ``ENV`` (it reads the image
config); a static check does not. Without this table, ``FROM golang`` followed
by ``WORKDIR $GOPATH/src`` would be reported as an undefined variable although
the build defines it. The names (and the values that are paths, which
``WORKDIR`` checks look at) come from the Docker Official Images' Dockerfiles;
an image not listed here is assumed to set only ``PATH``, as ``alpine``,
``debian``, ``ubuntu``, ``busybox`` and ``scratch`` do.
"""

from __future__ import annotations

_LANG = {"LANG": "C.UTF-8"}
_JAVA = {"JAVA_HOME": "/opt/java/openjdk", "LANG": "en_US.UTF-8", "LANGUAGE": "en_US:en", "LC_ALL": "en_US.UTF-8",
         "JAVA_VERSION": ""}

IMAGE_ENV: dict[str, dict[str, str]] = {
    "golang": {"GOLANG_VERSION": "", "GOTOOLCHAIN": "local", "GOPATH": "/go"},
    "python": {**_LANG, "GPG_KEY": "", "PYTHON_VERSION": "", "PYTHON_SHA256": ""},
    "node": {"NODE_VERSION": "", "YARN_VERSION": ""},
    "eclipse-temurin": _JAVA,
    "openjdk": {"JAVA_HOME": "/usr/local/openjdk", "LANG": "C.UTF-8", "JAVA_VERSION": ""},
    "maven": {**_JAVA, "MAVEN_HOME": "/usr/share/maven", "MAVEN_CONFIG": "/root/.m2"},
    "gradle": {**_JAVA, "GRADLE_HOME": "/opt/gradle", "GRADLE_VERSION": ""},
    "ruby": {**_LANG, "RUBY_VERSION": "", "RUBY_DOWNLOAD_SHA256": "", "GEM_HOME": "/usr/local/bundle",
             "BUNDLE_SILENCE_ROOT_WARNING": "1", "BUNDLE_APP_CONFIG": "/usr/local/bundle"},
    "rust": {"RUSTUP_HOME": "/usr/local/rustup", "CARGO_HOME": "/usr/local/cargo", "RUST_VERSION": ""},
    "php": {"PHPIZE_DEPS": "", "PHP_INI_DIR": "/usr/local/etc/php", "APACHE_CONFDIR": "/etc/apache2",
            "APACHE_ENVVARS": "/etc/apache2/envvars", "PHP_CFLAGS": "", "PHP_CPPFLAGS": "", "PHP_LDFLAGS": "",
            "GPG_KEYS": "", "PHP_VERSION": "", "PHP_URL": "", "PHP_ASC_URL": "", "PHP_SHA256": ""},
    "nginx": {"NGINX_VERSION": "", "NJS_VERSION": "", "NJS_RELEASE": "", "PKG_RELEASE": "", "DYNPKG_RELEASE": ""},
    "postgres": {**_LANG, "GOSU_VERSION": "", "PG_MAJOR": "", "PG_VERSION": "", "PGDATA": "/var/lib/postgresql/data"},
    "redis": {"REDIS_DOWNLOAD_URL": "", "REDIS_DOWNLOAD_SHA": ""},
}


def image_env(reference: str) -> dict[str, str]:
    """The variables ``reference``'s image config defines, beyond ``PATH`` (empty if unknown)."""
    name = reference.split("@", 1)[0]
    last = name.rsplit("/", 1)
    if ":" in last[-1]:
        name = name[: name.rindex(":")]
    for prefix in ("docker.io/", "index.docker.io/", "library/"):
        name = name.removeprefix(prefix)
    return dict(IMAGE_ENV.get(name, {}))
