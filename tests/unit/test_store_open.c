/* Unit test of store_open() under a race: many processes open (create,
 * switch to WAL, migrate) one fresh store at the same instant, as
 * `make -j` running `irqcheck check` does on a tree with no store yet.
 * Every one of them must get the store; none may see "database is
 * locked". */
#include "store/store.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { OPENERS = 16, ROUNDS = 12 };

/* a child: wait for the start signal on the pipe, open, report */
static int open_after_signal(int start_fd, const char *path)
{
	char go, *err = NULL;
	struct store *s;

	if (read(start_fd, &go, 1) != 1)
		return 2;
	s = store_open(path, true, &err);
	if (!s) {
		fprintf(stderr, "store_open: %s\n", err ? err : "(no message)");
		free(err);
		return 1;
	}
	store_close(s);
	return 0;
}

/* one round: OPENERS children released at once; the count that failed */
static int race_one_round(const char *path)
{
	int pipefd[2], i, failed = 0;
	pid_t pids[OPENERS];

	if (pipe(pipefd))
		return OPENERS;
	for (i = 0; i < OPENERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			close(pipefd[1]);
			_exit(open_after_signal(pipefd[0], path));
		}
	}
	close(pipefd[0]);
	/* one byte per child: they wake together */
	for (i = 0; i < OPENERS; i++)
		if (write(pipefd[1], "g", 1) != 1)
			break;
	close(pipefd[1]);
	for (i = 0; i < OPENERS; i++) {
		int status = 0;

		if (pids[i] < 0 || waitpid(pids[i], &status, 0) < 0 ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	return failed;
}

int main(void)
{
	char dir[] = "/tmp/irqcheck-store-open-XXXXXX";
	char path[256], side[300];
	int round, failed = 0;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/race.db", dir);
	for (round = 0; round < ROUNDS; round++) {
		unlink(path);
		snprintf(side, sizeof(side), "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", path);
		unlink(side);
		failed += race_one_round(path);
	}
	CHECK(failed == 0);
	if (failed)
		printf("%d of %d opens failed\n", failed, OPENERS * ROUNDS);
	/* the store the last round made is a complete one */
	{
		char *err = NULL;
		struct store *s = store_open(path, false, &err);

		CHECK(s != NULL);
		if (s)
			CHECK(store_user_version(s) > 0);
		store_close(s);
		free(err);
	}
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	rmdir(dir);
	return unit_finish();
}
