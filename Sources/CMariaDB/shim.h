#ifndef LIFEBOAT_CMARIADB_SHIM_H
#define LIFEBOAT_CMARIADB_SHIM_H
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

/// mysql_options takes `const void *`; these keep the option's C type visible to Swift.
static inline int lb_mysql_option_uint(MYSQL *m, enum mysql_option option, unsigned int value) {
    return mysql_options(m, option, &value);
}
static inline int lb_mysql_option_bool(MYSQL *m, enum mysql_option option, my_bool value) {
    return mysql_options(m, option, &value);
}
#endif
