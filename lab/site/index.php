<?php
// The lab's Drupal-like site: written for the lab, not Drupal's code. It does what Drupal 7
// does where Lifeboat is concerned (each line says which Drupal function it stands for):
// - bootstrap: variables from {cache_bootstrap} 'variables', rebuilt under a {semaphore} lock
//   on a miss (variable_initialize, lock_acquire);
// - anonymous GET/HEAD with the page cache on: {cache_page} read, and on a miss a render that
//   writes {cache_field} 'field:node:N' rows and the page into {cache_page}, each a merge:
//   SELECT, then INSERT or UPDATE (MergeQuery::execute, DrupalDatabaseCache::set, which
//   swallows database errors);
// - routing: ?q= first, else the request path (request_path), language prefix stripped
//   (locale_language_from_url), menu lookup case-insensitive (menu_router's collation);
//   `user` and `user/<anything unknown>` show the login form to anonymous users;
// - login: POST user/login with the right password writes a {sessions} row and a SESS… cookie
//   (user_login_finalize, _drupal_session_write, which swallows database errors);
// - readonlymode: with site_readonly set, forms but the login form are refused with its message;
// - $_SERVER['readonly'] (or REDIRECT_readonly after a rewrite) shows a banner.
// The lab adds a plain block of facts (site=, readonly=) that is never cached, and faults.

$settings = require $_SERVER['LAB_SETTINGS'];
$fault = $settings['fault_dir'];
for ($i = 0; file_exists("$fault/slow") && $i < 600; $i++) usleep(100000);
if (file_exists("$fault/500")) {
  http_response_code(500);
  header('Content-Type: text/plain');
  print "site={$settings['site']}\nerror=fault injected\n";
  exit;
}

// drupal_environment_initialize() lower-cases the host; $base_root keeps its port.
$http_host = strtolower($_SERVER['HTTP_HOST'] ?? '');
$host = preg_replace('/:\d+$/', '', $http_host);
$site = $settings['sites'][$host] ?? $settings['sites'][$settings['default_host']];

/** Drupal's {table}: the site's prefix for that table, which may name another database. */
function t($name) {
  global $site;
  $prefix = $site['prefix'][$name] ?? $site['prefix']['default'];
  if (($dot = strpos($prefix, '.')) !== false) return '`' . substr($prefix, 0, $dot) . '`.`' . substr($prefix, $dot + 1) . $name . '`';
  return '`' . $prefix . $name . '`';
}

mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
try {
  $db = new mysqli('localhost', $settings['user'], $settings['password'], $settings['database'], 0, $settings['socket']);
} catch (mysqli_sql_exception $e) {
  http_response_code(500);
  header('Content-Type: text/plain');
  print "site={$settings['site']}\nerror=PDOException: SQLSTATE[HY000] [2002] " . $e->getMessage() . "\n";
  exit;
}

function q($sql, ...$args) {
  global $db;
  $statement = $db->prepare($sql);
  if ($args) $statement->bind_param(str_repeat('s', count($args)), ...$args);
  $statement->execute();
  $result = $statement->get_result();
  return $result === false ? null : $result->fetch_all(MYSQLI_ASSOC);
}

/** db_merge on the key column: SELECT, then INSERT or UPDATE (Drupal 7's MergeQuery). */
function merge($table, $key, $value, array $fields) {
  if (q("SELECT 1 FROM $table WHERE $key = ?", $value)) {
    $set = implode(', ', array_map(fn($f) => "$f = ?", array_keys($fields)));
    q("UPDATE $table SET $set WHERE $key = ?", ...array_merge(array_values($fields), [$value]));
    return;
  }
  $columns = implode(', ', array_merge([$key], array_keys($fields)));
  $marks = implode(', ', array_fill(0, count($fields) + 1, '?'));
  q("INSERT INTO $table ($columns) VALUES ($marks)", $value, ...array_values($fields));
}

/** cache_set: a merge whose database errors are ignored, as DrupalDatabaseCache::set does. */
function cache_set($cid, $data, $bin) {
  try {
    merge(t($bin), 'cid', $cid, ['data' => serialize($data), 'expire' => -1, 'created' => time(), 'serialized' => 1]);
  } catch (mysqli_sql_exception $e) {
    // "The database may not be available, so we'll ignore cache_set requests."
  }
}

function cache_get($cid, $bin) {
  $row = q('SELECT data, serialized FROM ' . t($bin) . ' WHERE cid = ?', $cid)[0] ?? null;
  if (!$row) return null;
  return $row['serialized'] ? unserialize($row['data']) : $row['data'];
}

// variable_initialize(): the cached variables, or a rebuild under the variable_init lock.
$variables = cache_get('variables', 'cache_bootstrap');
if ($variables === null) {
  $lock = 'variable_init';
  try { q('INSERT INTO ' . t('semaphore') . ' (name, value, expire) VALUES (?, ?, ?)', $lock, uniqid(), microtime(true) + 1); $locked = true; }
  catch (mysqli_sql_exception $e) { $locked = false; }
  $variables = [];
  foreach (q('SELECT name, value FROM ' . t('variable')) as $row) $variables[$row['name']] = unserialize($row['value']);
  if ($locked) {
    cache_set('variables', $variables, 'cache_bootstrap');
    try { q('DELETE FROM ' . t('semaphore') . ' WHERE name = ?', $lock); } catch (mysqli_sql_exception $e) {}
  }
}

// request_path(): ?q= (already decoded by PHP), else the decoded path below the base path.
if (isset($_GET['q']) && is_string($_GET['q'])) {
  $path = $_GET['q'];
} else {
  $uri = strtok($_SERVER['REQUEST_URI'], '?');
  $base = rtrim(dirname($_SERVER['SCRIPT_NAME']), '\/');
  $path = substr(urldecode($uri), strlen($base) + 1);
  if ($path === basename($_SERVER['PHP_SELF'])) $path = '';
}
$path = trim($path, '/');
$parts = explode('/', $path);
if (in_array(strtolower($parts[0]), $settings['languages'], true)) { array_shift($parts); $path = implode('/', $parts); }
$args = array_map('strtolower', explode('/', $path));

$readonly = $_SERVER['readonly'] ?? $_SERVER['REDIRECT_readonly'] ?? '';
// Lifeboat's SetEnv lifeboat_data_as_of (README: the theme snippet), through the rewrite too.
$data_as_of = $_SERVER['lifeboat_data_as_of'] ?? $_SERVER['REDIRECT_lifeboat_data_as_of'] ?? '';
$site_readonly = !empty($variables['site_readonly']);
$method = $_SERVER['REQUEST_METHOD'];
$cookie = 'SESS' . substr(hash('sha256', $host), 0, 32);

// The session: a {sessions} row for the cookie's sid.
$user = null;
if (!empty($_COOKIE[$cookie])) {
  $user = q('SELECT u.uid, u.name FROM ' . t('sessions') . ' s JOIN ' . t('users') . ' u ON u.uid = s.uid WHERE s.sid = ? AND u.status = 1', $_COOKIE[$cookie])[0] ?? null;
}

/** The lab's facts, outside what is cached: which site answered, and the readonly flag. */
function facts() {
  global $settings, $site, $readonly, $data_as_of;
  $env = $_SERVER['readonly'] ?? '-';
  $redirect = $_SERVER['REDIRECT_readonly'] ?? '-';
  $since = $_SERVER['lifeboat_since'] ?? $_SERVER['REDIRECT_lifeboat_since'] ?? '-';
  return "<pre id=\"lab\">site={$settings['site']}\nreadonly=" . ($readonly === 'yes' ? 'yes' : 'no') . "\n"
    . "drupal_site={$site['name']}\nenv_readonly=$env\nredirect_readonly=$redirect\n"
    . "lifeboat_since=$since\nlifeboat_data_as_of=" . ($data_as_of ?: '-') . "\n</pre>\n";
}

function page($title, $content) {
  global $readonly, $variables, $data_as_of;
  // The README's theme snippet: the banner, and "as of" when Lifeboat knows the data's age.
  $as_of = $data_as_of ? ' You are seeing this site as of ' . gmdate('Y-m-d H:i', strtotime($data_as_of)) . ' UTC.' : '';
  $banner = $readonly === 'yes'
    ? "<div class=\"messages warning\" id=\"readonly-banner\">This site is read-only for now: you can read everything, but logging in and changes are switched off.$as_of</div>\n" : '';
  $login = $readonly === 'yes' ? '' : "<div id=\"block-user-login\"><a href=\"/user/login\">Log in</a></div>\n";
  $name = htmlspecialchars($variables['site_name'] ?? 'Drupal');
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>$title | $name</title></head><body>\n$banner$login<h1>$title</h1>\n$content\n</body></html>\n";
}

function finish($status, $html, $cache = null) {
  http_response_code($status);
  header('Content-Type: text/html; charset=utf-8');
  if ($cache) header("X-Drupal-Cache: $cache");
  print facts() . $html;
  exit;
}

// drupal_page_get_cache(): anonymous GET/HEAD with the page cache on.
$cid = 'http://' . $http_host . $_SERVER['REQUEST_URI'];
$cacheable = !$user && ($method === 'GET' || $method === 'HEAD') && !empty($variables['cache']);
if ($cacheable && ($cached = cache_get($cid, 'cache_page')) !== null) finish(200, $cached, 'HIT');

function node_view($node) {
  // field_attach_load() caches each entity's fields in {cache_field}.
  $fields = cache_get("field:node:{$node['nid']}", 'cache_field');
  if ($fields === null) {
    $fields = ['body' => "Text of node {$node['nid']}."];
    cache_set("field:node:{$node['nid']}", $fields, 'cache_field');
  }
  return '<article><h2><a href="/node/' . $node['nid'] . '">' . htmlspecialchars($node['title']) . '</a></h2><p>'
    . htmlspecialchars($fields['body']) . "</p></article>\n";
}

function login_form($message = '') {
  return ($message ? "<div class=\"messages error\">$message</div>\n" : '')
    . '<form method="post" action="/user/login" id="user-login"><input name="name"><input name="pass" type="password">'
    . '<input type="submit" name="op" value="Log in"></form>';
}

$status = 200;
if ($args[0] === '' || ($args[0] === 'node' && count($args) === 1)) {
  $html = page('Welcome', implode('', array_map('node_view', q('SELECT nid, title FROM ' . t('node') . ' WHERE status = 1 ORDER BY nid'))));
} elseif ($args[0] === 'node' && ctype_digit($args[1] ?? '') && count($args) === 2
  && ($node = q('SELECT nid, title FROM ' . t('node') . ' WHERE nid = ? AND status = 1', $args[1])[0] ?? null)) {
  $html = page(htmlspecialchars($node['title']), node_view($node));
} elseif ($args[0] === 'user' && in_array($args[1] ?? '', ['register', 'password'], true)) {
  if ($method === 'POST') {
    $html = page('User account', $site_readonly ? '<div class="messages warning">This site is currently in read-only mode.</div>' : "<p>{$args[1]}=accepted</p>");
  } else {
    $html = page($args[1] === 'register' ? 'Create new account' : 'Request new password', '<form method="post"><input name="name"><input type="submit"></form>');
  }
} elseif ($args[0] === 'user' && $user && ($args[1] ?? '') !== 'login') {
  $html = page(htmlspecialchars($user['name']), "<p>logged in as {$user['name']}</p>");
} elseif ($args[0] === 'user') {
  // user, user/login, user/<anything>: the login form for anonymous users. readonlymode lets
  // the login form through (its default allowed forms), so the admin can still log in.
  if ($method === 'POST') {
    $name = $_POST['name'] ?? '';
    $account = q('SELECT uid, name FROM ' . t('users') . ' WHERE name = ? AND pass = SHA2(?, 256) AND status = 1', $name, $_POST['pass'] ?? '')[0] ?? null;
    if ($account) {
      $sid = bin2hex(random_bytes(24));
      try {
        q('INSERT INTO ' . t('sessions') . ' (uid, sid, ssid, hostname, timestamp, cache, session) VALUES (?, ?, \'\', ?, ?, 0, \'\')',
          $account['uid'], $sid, $_SERVER['REMOTE_ADDR'], time());
        q('UPDATE ' . t('users') . ' SET login = ?, access = ? WHERE uid = ?', time(), time(), $account['uid']);
        setcookie($cookie, $sid, 0, '/', '', false, true);
        $html = page('User account', "<p>login=accepted</p>\n<p>logged in as {$account['name']}</p>");
      } catch (mysqli_sql_exception $e) {
        // _drupal_session_write() swallows the error: the user is logged in for this page only.
        $html = page('User account', "<p>login=accepted</p>\n<p>session not saved: " . htmlspecialchars($e->getMessage()) . '</p>');
      }
    } else {
      $html = page('User account', login_form('Sorry, unrecognized username or password.') . "\n<p>login=refused</p>");
    }
    finish(200, $html);
  } else {
    $html = page('User account', login_form());
  }
} else {
  $status = 404;
  $html = page('Page not found', '<p>The requested page could not be found.</p>');
}

// drupal_page_set_cache(): the rendered anonymous page goes into {cache_page}.
if ($cacheable && $status === 200) cache_set($cid, $html, 'cache_page');
finish($status, $html, $cacheable ? 'MISS' : null);
