"""A real WordPress (Debian's `wordpress` package) on 127.0.0.1 for the tests.

PHP's built-in web server serves a folder of links into /usr/share/wordpress with a
wp-config.php of its own (Debian's looks for /etc/wordpress/config-<host>.php, which
a test must not write); the site is installed into a fresh MariaDB database by a
small PHP script (wp_install), with users of four roles, each holding an
application password. `WP_ENVIRONMENT_TYPE=local` lets WordPress accept application
passwords over plain HTTP, as it does for local development.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.support import wait_until

WORDPRESS = Path("/usr/share/wordpress")
DB_HOST, DB_PORT = "127.0.0.1", 3306
ROLES = ("editor", "author", "subscriber")

CONFIG = """<?php
define('DB_NAME', '{db}');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', '{db_host}:{db_port}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_HOME', '{url}');
define('WP_SITEURL', '{url}');
define('WP_CONTENT_DIR', '{content}');
define('WP_CONTENT_URL', '{url}/wp-content');
define('WP_ENVIRONMENT_TYPE', 'local');
define('AUTOMATIC_UPDATER_DISABLED', true);
define('DISABLE_WP_CRON', true);
foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT',
          'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as $key) {{
    define($key, '{salt}' . $key);
}}
$table_prefix = 'wp_';
require_once ABSPATH . 'wp-settings.php';
"""

# Every request runs with ABSPATH at our folder, so WordPress reads our config.
ROUTER = """<?php
define('ABSPATH', '{site}/');
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if (str_starts_with($path, '/wp-content/')) {{
    $file = '{content}/' . substr($path, strlen('/wp-content/'));
    if (is_file($file)) {{ readfile($file); return true; }}
}}
$script = ABSPATH . ltrim($path, '/');
if (str_ends_with($path, '.php') && is_file($script)) {{
    chdir(dirname($script));
    require $script;
    return true;
}}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
require ABSPATH . 'index.php';
"""

INSTALL = """<?php
$db = new mysqli('{db_host}', 'root', '', '', {db_port});
$db->query('CREATE DATABASE `{db}` CHARACTER SET utf8mb4');
define('ABSPATH', '{site}/');
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = '{host}';
$_SERVER['REQUEST_URI'] = '/';
require ABSPATH . 'wp-load.php';
function wp_new_blog_notification() {{}}  // no mail from the test site
require ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('Situs Diskominfos', 'admin', 'admin@example.test', false, '',
           wp_generate_password(24));
update_option('permalink_structure', '/%postname%/');
$out = [];
foreach ({roles} as $role) {{
    $id = wp_insert_user([
        'user_login' => $role, 'user_pass' => wp_generate_password(24),
        'user_email' => $role . '@example.test', 'role' => $role,
        'display_name' => 'Pengguna ' . ucfirst($role)]);
    [$password] = WP_Application_Passwords::create_new_application_password(
        $id, ['name' => 'publisher']);
    $out[$role] = $password;
}}
$out['version'] = get_bloginfo('version');
echo json_encode($out);
"""

DROP = (
    "$db = new mysqli('{db_host}', 'root', '', '', {db_port});"
    " $db->query('DROP DATABASE IF EXISTS `{db}`');"
)


def missing() -> str | None:
    """Why a real WordPress cannot run here (None: it can)."""
    if shutil.which("php") is None:
        return "php is not installed (apt-get install php-cli php-mysql wordpress)"
    if not (WORDPRESS / "wp-settings.php").is_file():
        return "Debian's wordpress package is not installed (/usr/share/wordpress)"
    done = subprocess.run(
        ["php", "-r", "exit(extension_loaded('mysqli') ? 0 : 1);"], check=False
    )
    if done.returncode:
        return "PHP has no mysqli (apt-get install php-mysql)"
    try:
        socket.create_connection((DB_HOST, DB_PORT), timeout=1).close()
    except OSError:
        return f"no MariaDB/MySQL server at {DB_HOST}:{DB_PORT}"
    return None


@dataclass
class RealSite:
    """A running WordPress: its address, version and each role's password."""

    url: str
    version: str
    passwords: dict[str, str]
    process: subprocess.Popen | None = None
    root: Path = field(default_factory=Path)

    def get(self, path: str, **params: Any) -> Any:
        """A REST API answer, read as the editor (what wp-admin would show)."""
        response = requests.get(
            f"{self.url}/wp-json/wp/v2/{path}",
            params={"context": "edit", **params},
            auth=("editor", self.passwords["editor"]),
            timeout=10,
        )
        response.raise_for_status()
        return response.json()


def start(root: Path) -> RealSite:
    """Install a fresh site under `root` and serve it; `stop` ends it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    host = f"127.0.0.1:{port}"
    values = {
        "db": f"wp_test_{os.getpid()}_{secrets.token_hex(3)}",
        "db_host": DB_HOST,
        "db_port": DB_PORT,
        "url": f"http://{host}",
        "host": host,
        "site": root / "site",
        "content": root / "content",
        "salt": secrets.token_hex(16),
        "roles": json.dumps(list(ROLES)),
    }
    (root / "content" / "uploads").mkdir(parents=True)
    (root / "site").mkdir()
    for entry in WORDPRESS.iterdir():
        if entry.name not in ("wp-config.php", "wp-content"):
            (root / "site" / entry.name).symlink_to(entry)
    (root / "site" / "wp-config.php").write_text(CONFIG.format(**values))
    (root / "router.php").write_text(ROUTER.format(**values))
    (root / "install.php").write_text(INSTALL.format(**values))
    (root / "drop.php").write_text("<?php " + DROP.format(**values))
    installed = subprocess.run(
        ["php", str(root / "install.php")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    answer = json.loads(installed.stdout[installed.stdout.index("{") :])
    with (root / "server.log").open("w") as log:  # the server keeps its own copy
        process = subprocess.Popen(
            ["php", "-S", host, "-t", str(root / "site"), str(root / "router.php")],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    site = RealSite(
        url=values["url"],
        version=answer.pop("version"),
        passwords=answer,
        process=process,
        root=root,
    )
    if not wait_until(lambda: _answers(site.url), timeout=30):
        stop(site)
        raise RuntimeError(f"WordPress did not start; see {root / 'server.log'}")
    return site


def stop(site: RealSite) -> None:
    """End the server and drop the site's database."""
    if site.process is not None:
        site.process.terminate()
        site.process.wait(timeout=10)
    subprocess.run(["php", str(site.root / "drop.php")], check=False, timeout=60)


def _answers(url: str) -> bool:
    """True once the REST API answers."""
    try:
        return requests.get(f"{url}/wp-json/", timeout=2).status_code == 200
    except requests.RequestException:
        return False
