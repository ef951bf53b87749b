/*
 * test_sha256.c — cli/sha256.c against FIPS 180-2's examples and
 * against digests of the same bytes fed in every split.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"

#include "../../cli/sha256.h"

static void known(const char *name, const char *msg, const char *want)
{
	char got[SHA256_HEX + 1];

	sha256_hex(msg, strlen(msg), got);
	CHECKD(name, !strcmp(got, want), "got %s", got);
}

int main(void)
{
	static char million[1000000];
	char whole[SHA256_HEX + 1], part[SHA256_HEX + 1];
	uint8_t d[SHA256_BYTES];
	struct sha256 s;
	unsigned char msg[200];
	int splits_ok = 1;

	known("sha256/empty", "",
	      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	known("sha256/abc", "abc",
	      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	known("sha256/448-bit", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	known("sha256/896-bit",
	      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
	      "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	memset(million, 'a', sizeof(million));
	sha256_hex(million, sizeof(million), whole);
	CHECKD("sha256/million-a",
	       !strcmp(whole, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
	       "got %s", whole);

	/* Lengths 0..199 around the 55/56/64-byte padding edges, each fed
	 * whole and in two pieces split at every point. */
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)(i * 7 + 3);
	for (size_t len = 0; len < sizeof(msg); len++) {
		sha256_hex(msg, len, whole);
		for (size_t cut = 0; cut <= len; cut++) {
			sha256_init(&s);
			sha256_update(&s, msg, cut);
			sha256_update(&s, msg + cut, len - cut);
			sha256_final(&s, d);
			sha256_to_hex(d, part);
			splits_ok &= !strcmp(part, whole);
		}
	}
	CHECK("sha256/splits", splits_ok);
	return 0;
}
