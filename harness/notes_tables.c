#include "notes_tables.h"

#include <string.h>

static const struct pl_cell read_cells[4] = {
	{ "read/all-closed/data", "读数据,返回字节数", "reads the data, returns the byte count", "B",
	  "read returns the bytes still in the pipe at once; the next read returns 0", "Verify that a read returns the bytes left in a pipe whose writers have all closed",
	  true, false },
	{ "read/all-closed/no-data", "返回0", "returns 0 (end of file)", "B",
	  "read returns 0 (EOF) at once, and again on every later read", "Verify that a read on an empty pipe whose writers have all closed returns 0 (EOF)",
	  true, true },
	{ "read/open/data", "读数据,返回字节数", "reads the data, returns the byte count", "B",
	  "read returns the bytes available at once", "Verify that a read returns the bytes in a pipe while a writer is open",
	  false, false },
	{ "read/open/no-data", "阻塞", "blocks", "B",
	  "read blocks (asleep in read()) until a write arrives, then returns those bytes", "Verify that a read on an empty pipe blocks while a writer is open, until a write arrives",
	  false, true },
};

static const struct pl_cell write_cells[4] = {
	{ "write/open/not-full", "写", "writes", "C",
	  "write returns the full count at once", "Verify that a write into a pipe with room goes in at once while a reader is open",
	  false, false },
	{ "write/open/full", "阻塞", "blocks", "C",
	  "write blocks (asleep in write()) until a page is drained, then returns its full count", "Verify that a write into a full pipe blocks until the reader drains a page",
	  false, true },
	{ "write/closed/not-full", "进程异常(SIGPIPE)", "process error (SIGPIPE)", "C, D",
	  "SIGPIPE: default kills the writer (signal 13); ignored, caught or blocked: -1 EPIPE", "Verify that a write with every read end closed raises SIGPIPE (or fails with EPIPE)",
	  true, false },
	{ "write/closed/full", "进程异常(SIGPIPE)", "process error (SIGPIPE)", "C, D",
	  "SIGPIPE: default kills the writer (signal 13); ignored, caught or blocked: -1 EPIPE", "Verify that a write into a full pipe with every read end closed raises SIGPIPE, not a block",
	  true, true },
};

const struct pl_table pl_read_table = {
	"read", "读管道", "Reading a pipe", "写端", "write ends",
	{ "管道有数据", "管道没数据" }, { "data in pipe", "no data" },
	{ "全部关闭", "没有全部关闭" }, { "all closed", "not all closed" },
	{ true, false }, read_cells,
};

const struct pl_table pl_write_table = {
	"write", "写管道", "Writing a pipe", "读端", "read ends",
	{ "管道未写满", "管道写满" }, { "pipe not full", "pipe full" },
	{ "未全部关闭", "全部关闭" }, { "not all closed", "all closed" },
	{ false, true }, write_cells,
};

const struct pl_cell *pl_find_cell(const char *id)
{
	for (int i = 0; i < 4; i++) {
		if (!strcmp(read_cells[i].id, id))
			return &read_cells[i];
		if (!strcmp(write_cells[i].id, id))
			return &write_cells[i];
	}
	return NULL;
}
