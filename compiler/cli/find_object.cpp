// The release binary links the C++ runtime and its unwinder statically
// (MRP_STATIC). Built against glibc 2.35 or later, that unwinder finds a
// function's unwind tables with _dl_find_object, which glibc added in 2.35,
// and the binary would refuse to start on an older glibc (Amazon Linux 2023,
// the image CodeBuild offers first, has 2.34). The link points the unwinder
// here instead (--wrap=_dl_find_object), and this answers the same question
// the way the unwinder did before 2.35: by walking the loaded objects with
// dl_iterate_phdr, which every glibc has. Exceptions are rare in mrp (bad
// command lines, unreadable templates), so the slower walk costs nothing that
// matters.

#include <dlfcn.h>
#include <link.h>

#include <algorithm>
#include <cstdint>

namespace {

struct Search {
  std::uintptr_t pc;
  dl_find_object* result;
  bool found;
};

int visit(dl_phdr_info* info, std::size_t, void* data) {
  auto& search = *static_cast<Search*>(data);
  // glibc gives an object's load address as an integer; the segments' addresses
  // are offsets from it.
  auto* const base = reinterpret_cast<char*>(info->dlpi_addr);  // NOLINT(performance-no-int-to-ptr)
  std::uintptr_t lowest = UINTPTR_MAX, highest = 0;
  char* eh_frame = nullptr;
  bool contains = false;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& segment = info->dlpi_phdr[i];
    if (segment.p_type == PT_GNU_EH_FRAME) eh_frame = base + segment.p_vaddr;
    if (segment.p_type != PT_LOAD) continue;
    lowest = std::min<std::uintptr_t>(lowest, segment.p_vaddr);
    highest = std::max<std::uintptr_t>(highest, segment.p_vaddr + segment.p_memsz);
    const std::uintptr_t from = info->dlpi_addr + segment.p_vaddr;
    if (search.pc >= from && search.pc < from + segment.p_memsz) contains = true;
  }
  if (!contains) return 0;
  search.found = eh_frame != nullptr;
  *search.result = dl_find_object{};
  search.result->dlfo_map_start = base + lowest;
  search.result->dlfo_map_end = base + highest;
  search.result->dlfo_eh_frame = eh_frame;
  return 1;
}

}  // namespace

// The name is the one the linker's --wrap gives the function it calls instead.
extern "C" int __wrap__dl_find_object(  // NOLINT(bugprone-reserved-identifier)
    void* address, dl_find_object* result) {
  Search search{reinterpret_cast<std::uintptr_t>(address), result, false};
  dl_iterate_phdr(visit, &search);
  return search.found ? 0 : -1;
}
