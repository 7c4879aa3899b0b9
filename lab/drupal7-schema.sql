-- The tables Lifeboat touches or Drupal writes on a GET, with Drupal 7's column layout
-- (modules/system/system.install, modules/user/user.install, modules/node/node.install), plus
-- Drupal 6's {access} table. Table names are in braces as in Drupal's own SQL: scripts/lab
-- replaces each {name} with the site's prefix for that table, so shared tables appear once.
CREATE TABLE IF NOT EXISTS {users} (uid INT UNSIGNED NOT NULL DEFAULT 0, name VARCHAR(60) NOT NULL DEFAULT '',
  pass VARCHAR(128) NOT NULL DEFAULT '', mail VARCHAR(254) DEFAULT '', theme VARCHAR(255) NOT NULL DEFAULT '',
  signature VARCHAR(255) NOT NULL DEFAULT '', signature_format VARCHAR(255) DEFAULT NULL,
  created INT NOT NULL DEFAULT 0, access INT NOT NULL DEFAULT 0, login INT NOT NULL DEFAULT 0,
  status TINYINT NOT NULL DEFAULT 0, timezone VARCHAR(32) DEFAULT NULL, language VARCHAR(12) NOT NULL DEFAULT '',
  picture INT NOT NULL DEFAULT 0, init VARCHAR(254) DEFAULT '', data LONGBLOB,
  PRIMARY KEY (uid), UNIQUE KEY name (name), KEY access (access), KEY created (created), KEY mail (mail));
CREATE TABLE IF NOT EXISTS {sessions} (uid INT UNSIGNED NOT NULL, sid VARCHAR(128) NOT NULL, ssid VARCHAR(128) NOT NULL DEFAULT '',
  hostname VARCHAR(128) NOT NULL DEFAULT '', timestamp INT NOT NULL DEFAULT 0, cache INT NOT NULL DEFAULT 0,
  session LONGBLOB, PRIMARY KEY (sid, ssid), KEY timestamp (timestamp), KEY uid (uid), KEY ssid (ssid));
CREATE TABLE IF NOT EXISTS {cache} (cid VARCHAR(255) NOT NULL DEFAULT '', data LONGBLOB, expire INT NOT NULL DEFAULT 0,
  created INT NOT NULL DEFAULT 0, serialized SMALLINT NOT NULL DEFAULT 0, PRIMARY KEY (cid), KEY expire (expire));
CREATE TABLE IF NOT EXISTS {cache_page} LIKE {cache};
CREATE TABLE IF NOT EXISTS {cache_field} LIKE {cache};
CREATE TABLE IF NOT EXISTS {cache_bootstrap} LIKE {cache};
CREATE TABLE IF NOT EXISTS {variable} (name VARCHAR(128) NOT NULL DEFAULT '', value LONGBLOB NOT NULL, PRIMARY KEY (name));
CREATE TABLE IF NOT EXISTS {semaphore} (name VARCHAR(255) NOT NULL DEFAULT '', value VARCHAR(255) NOT NULL DEFAULT '',
  expire DOUBLE NOT NULL, PRIMARY KEY (name), KEY value (value), KEY expire (expire));
CREATE TABLE IF NOT EXISTS {node} (nid INT UNSIGNED NOT NULL AUTO_INCREMENT, vid INT UNSIGNED DEFAULT NULL,
  type VARCHAR(32) NOT NULL DEFAULT '', language VARCHAR(12) NOT NULL DEFAULT '', title VARCHAR(255) NOT NULL DEFAULT '',
  uid INT NOT NULL DEFAULT 0, status INT NOT NULL DEFAULT 1, created INT NOT NULL DEFAULT 0, changed INT NOT NULL DEFAULT 0,
  comment INT NOT NULL DEFAULT 0, promote INT NOT NULL DEFAULT 0, sticky INT NOT NULL DEFAULT 0,
  tnid INT UNSIGNED NOT NULL DEFAULT 0, translate INT NOT NULL DEFAULT 0, PRIMARY KEY (nid), UNIQUE KEY vid (vid),
  KEY node_changed (changed), KEY node_created (created), KEY node_type (type(4)), KEY uid (uid));
CREATE TABLE IF NOT EXISTS {system} (filename VARCHAR(255) NOT NULL DEFAULT '', name VARCHAR(255) NOT NULL DEFAULT '',
  type VARCHAR(12) NOT NULL DEFAULT '', owner VARCHAR(255) NOT NULL DEFAULT '', status INT NOT NULL DEFAULT 0,
  bootstrap INT NOT NULL DEFAULT 0, schema_version SMALLINT NOT NULL DEFAULT -1, weight INT NOT NULL DEFAULT 0,
  info BLOB, PRIMARY KEY (filename), KEY system_list (status, bootstrap, type, weight, name), KEY type_name (type, name));
-- Drupal 6's access rules (modules/user/user.install in 6.x): what the drupal6 preset writes.
CREATE TABLE IF NOT EXISTS {access} (aid INT NOT NULL AUTO_INCREMENT, mask VARCHAR(255) NOT NULL DEFAULT '',
  type VARCHAR(255) NOT NULL DEFAULT '', status TINYINT NOT NULL DEFAULT 0, PRIMARY KEY (aid));

-- Content. Passwords are SHA-256 of "<name>-pass" (the lab's, not Drupal's, hashing).
INSERT IGNORE INTO {users} (uid, name, pass, status, created) VALUES (0, '', '', 0, 0),
  (1, 'admin', SHA2('admin-pass', 256), 1, UNIX_TIMESTAMP()), (2, 'alice', SHA2('alice-pass', 256), 1, UNIX_TIMESTAMP()),
  (3, 'bob', SHA2('bob-pass', 256), 1, UNIX_TIMESTAMP());
INSERT INTO {sessions} (uid, sid, hostname, timestamp, session) VALUES
  (1, '{site}-admin-session', '192.0.2.10', UNIX_TIMESTAMP(), 'admin'),
  (2, '{site}-alice-session', '198.51.100.7', UNIX_TIMESTAMP(), 'alice'),
  (3, '{site}-bob-session', '198.51.100.8', UNIX_TIMESTAMP(), 'bob'),
  (0, '{site}-anonymous-session', '198.51.100.9', UNIX_TIMESTAMP(), 'messages|a:0:{}');
INSERT INTO {node} (type, title, uid, status, created, changed) VALUES
  ('page', 'Welcome to {site}', 1, 1, UNIX_TIMESTAMP(), UNIX_TIMESTAMP()),
  ('article', 'News from {site}', 2, 1, UNIX_TIMESTAMP(), UNIX_TIMESTAMP());
INSERT IGNORE INTO {system} (filename, name, type, status, schema_version) VALUES
  ('modules/system/system.module', 'system', 'module', 1, 7084),
  ('modules/user/user.module', 'user', 'module', 1, 7020),
  ('modules/node/node.module', 'node', 'module', 1, 7016),
  ('sites/all/modules/readonlymode/readonlymode.module', 'readonlymode', 'module', 1, 0);
-- Page cache on (Drupal 7's "Cache pages for anonymous users"), as on the site in the issue.
-- site_readonly is absent until readonlymode is configured, as in Drupal.
INSERT IGNORE INTO {variable} (name, value) VALUES ('site_name', 's:7:"Example";'), ('cache', 'i:1;');
