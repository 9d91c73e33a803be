/*
 * bcryptprimitives.dll for Wine 8.0 — TEST HARNESS ONLY, never shipped.
 *
 * Go >= 1.22 Windows binaries call ProcessPrng from bcryptprimitives.dll at
 * start; Wine 8.0 has no such export and the runtime dies with "fatal
 * error: bcryptprimitives.dll not found". This DLL exports ProcessPrng and
 * forwards to advapi32's RtlGenRandom (exported as SystemFunction036).
 * scripts/wine-prefix.sh builds it with mingw and copies it into a
 * throw-away prefix's system32.
 */
#include <windows.h>

typedef BOOLEAN (WINAPI *rtl_gen_random)(PVOID, ULONG);

static rtl_gen_random gen;

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	if (gen == NULL) {
		HMODULE advapi = LoadLibraryA("advapi32.dll");
		if (advapi == NULL)
			return FALSE;
		gen = (rtl_gen_random)(void *)GetProcAddress(advapi, "SystemFunction036");
		if (gen == NULL)
			return FALSE;
	}
	/* RtlGenRandom takes a ULONG length; feed larger requests in chunks. */
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!gen(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
	(void)inst; (void)reason; (void)reserved;
	return TRUE;
}
