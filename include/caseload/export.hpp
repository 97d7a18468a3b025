#pragma once
// Symbol visibility: the library is built with hidden visibility and exports
// only what is marked CASELOAD_API.
#if defined(CASELOAD_STATIC_DEFINE)
#define CASELOAD_API
#elif defined(_WIN32)
#if defined(CASELOAD_BUILDING)
#define CASELOAD_API __declspec(dllexport)
#else
#define CASELOAD_API __declspec(dllimport)
#endif
#else
#define CASELOAD_API __attribute__((visibility("default")))
#endif
