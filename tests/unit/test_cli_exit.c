/* Unit test of the command line's exit status by error kind (cli_exit_for in tui/cli.h): one table, every
 * kind mapped, and the text of a message never changes the status. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli.h"

static void every_kind_has_its_status(void **state) {
    (void)state;
    static const struct {
        error_kind kind;
        int status;
    } want[] = {
        {ERR_NONE, EXIT_OK},         {ERR_INPUT, EXIT_BADINPUT},  {ERR_DENIED, EXIT_BADINPUT},
        {ERR_NOT_FOUND, EXIT_BADINPUT}, {ERR_CONFLICT, EXIT_RUNTIME}, {ERR_TAMPERED, EXIT_RUNTIME},
        {ERR_STORE, EXIT_RUNTIME},   {ERR_AUTH, EXIT_RUNTIME},    {ERR_IO, EXIT_RUNTIME},
        {ERR_INTERNAL, EXIT_RUNTIME},
    };
    assert_int_equal(sizeof want / sizeof want[0], ERR_KIND_COUNT);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        error e = {0};
        error_set(&e, want[i].kind, "message of kind %s", error_kind_name(want[i].kind));
        if (want[i].kind == ERR_NONE) error_clear(&e);
        assert_int_equal(cli_exit_for(&e), want[i].status);
    }
}

static void the_text_does_not_choose(void **state) {
    (void)state;
    error e = {0};
    error_set(&e, ERR_STORE, "denied: this text only looks like a denial");
    assert_int_equal(cli_exit_for(&e), EXIT_RUNTIME);
    error_set(&e, ERR_DENIED, "a %s may not do that", "volunteer");
    assert_int_equal(cli_exit_for(&e), EXIT_BADINPUT);
    assert_int_equal(cli_exit_for(NULL), EXIT_OK);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_has_its_status),
        cmocka_unit_test(the_text_does_not_choose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
