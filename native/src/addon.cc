// Linux syscalls that Node does not expose: flock(2), fallocate(2) collapse-range,
// ioctl(FICLONE), the POSIX access ACL as an extended attribute (fgetxattr/fsetxattr),
// and glibc's malloc_trim for the daemon between runs. Plain N-API (C), so the binary
// works with any Node >= 20 ABI.
// Errors are thrown as JS Errors whose `code` is the errno name, like Node's own fs errors.
#include <node_api.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <malloc.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/xattr.h>
#include <vector>

namespace {

const char* errnoName(int err) {
  switch (err) {
    case EAGAIN: return "EWOULDBLOCK";  // flock reports a held lock as EWOULDBLOCK (== EAGAIN)
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EXDEV: return "EXDEV";
    case EPERM: return "EPERM";
    case ENOSPC: return "ENOSPC";
    case EIO: return "EIO";
    case EINTR: return "EINTR";
    case ENOLCK: return "ENOLCK";
    case EFBIG: return "EFBIG";
    case ETXTBSY: return "ETXTBSY";
    case ENODEV: return "ENODEV";
    case EISDIR: return "EISDIR";
    case ENOSYS: return "ENOSYS";
    case ENODATA: return "ENODATA";
    case ERANGE: return "ERANGE";
    case EACCES: return "EACCES";
    case ENOMEM: return "ENOMEM";
    default: return "EUNKNOWN";
  }
}

napi_value throwErrno(napi_env env, const char* syscall, int err) {
  std::string message = std::string(syscall) + ": " + std::strerror(err);
  napi_value code, msg, error;
  napi_create_string_utf8(env, errnoName(err), NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, message.c_str(), NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, code, msg, &error);
  napi_value errnoValue, syscallValue;
  napi_create_int32(env, -err, &errnoValue);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &syscallValue);
  napi_set_named_property(env, error, "errno", errnoValue);
  napi_set_named_property(env, error, "syscall", syscallValue);
  napi_throw(env, error);
  return nullptr;
}

// Reads `count` arguments; false (with a TypeError pending) when one is missing.
bool args(napi_env env, napi_callback_info info, size_t count, napi_value* out) {
  size_t given = count;
  napi_get_cb_info(env, info, &given, out, nullptr, nullptr);
  if (given < count) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_COUNT", "missing arguments");
    return false;
  }
  return true;
}

bool toInt64(napi_env env, napi_value value, int64_t* out) {
  if (napi_get_value_int64(env, value, out) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a number");
    return false;
  }
  return true;
}

napi_value Flock(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int64_t fd;
  if (!args(env, info, 2, argv) || !toInt64(env, argv[0], &fd)) return nullptr;
  char op[32] = {0};
  size_t length = 0;
  if (napi_get_value_string_utf8(env, argv[1], op, sizeof op, &length) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected an operation name");
    return nullptr;
  }
  int operation;
  if (std::strcmp(op, "exclusive-nonblocking") == 0) operation = LOCK_EX | LOCK_NB;
  else if (std::strcmp(op, "exclusive") == 0) operation = LOCK_EX;
  else if (std::strcmp(op, "unlock") == 0) operation = LOCK_UN;
  else {
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "unknown flock operation");
    return nullptr;
  }
  int rc;
  do rc = flock(static_cast<int>(fd), operation); while (rc != 0 && errno == EINTR);
  if (rc != 0) return throwErrno(env, "flock", errno);
  return nullptr;
}

napi_value CollapseRange(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int64_t fd, offset, length;
  if (!args(env, info, 3, argv) || !toInt64(env, argv[0], &fd) || !toInt64(env, argv[1], &offset) ||
      !toInt64(env, argv[2], &length))
    return nullptr;
  if (fallocate(static_cast<int>(fd), FALLOC_FL_COLLAPSE_RANGE, offset, length) != 0)
    return throwErrno(env, "fallocate", errno);
  return nullptr;
}

napi_value Clone(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int64_t src, dst;
  if (!args(env, info, 2, argv) || !toInt64(env, argv[0], &src) || !toInt64(env, argv[1], &dst)) return nullptr;
  if (ioctl(static_cast<int>(dst), FICLONE, static_cast<int>(src)) != 0) return throwErrno(env, "ioctl", errno);
  return nullptr;
}

// The kernel keeps this attribute only while the ACL says more than the mode bits, so
// its presence is the "has an extended ACL" test, and its bytes copy the ACL whole.
const char kAclAccess[] = "system.posix_acl_access";

// The access ACL of an open file as raw bytes, or null when it has none (ENODATA) or the
// filesystem has no ACLs (EOPNOTSUPP).
napi_value GetAcl(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int64_t fd;
  if (!args(env, info, 1, argv) || !toInt64(env, argv[0], &fd)) return nullptr;
  std::vector<char> bytes(256);
  for (;;) {
    ssize_t n = fgetxattr(static_cast<int>(fd), kAclAccess, bytes.data(), bytes.size());
    if (n >= 0) {
      napi_value buffer;
      void* data;
      napi_create_buffer_copy(env, static_cast<size_t>(n), bytes.data(), &data, &buffer);
      return buffer;
    }
    if (errno == ENODATA || errno == EOPNOTSUPP) {
      napi_value null;
      napi_get_null(env, &null);
      return null;
    }
    if (errno != ERANGE) return throwErrno(env, "fgetxattr", errno);
    ssize_t size = fgetxattr(static_cast<int>(fd), kAclAccess, nullptr, 0);
    if (size < 0) return throwErrno(env, "fgetxattr", errno);
    bytes.resize(static_cast<size_t>(size) + 64);
  }
}

// Sets the access ACL of an open file from bytes GetAcl returned; the kernel derives the
// mode bits from it, as setfacl does.
napi_value SetAcl(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int64_t fd;
  if (!args(env, info, 2, argv) || !toInt64(env, argv[0], &fd)) return nullptr;
  void* data;
  size_t length;
  if (napi_get_buffer_info(env, argv[1], &data, &length) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a Buffer");
    return nullptr;
  }
  if (fsetxattr(static_cast<int>(fd), kAclAccess, data, length, 0) != 0) return throwErrno(env, "fsetxattr", errno);
  return nullptr;
}

// glibc's malloc_trim(0): hands the free pages of every malloc arena back to the kernel.
// Returns whether any memory was released. Other C libraries have no such call.
napi_value MallocTrim(napi_env env, napi_callback_info) {
  napi_value released;
#ifdef __GLIBC__
  napi_get_boolean(env, malloc_trim(0) == 1, &released);
#else
  napi_get_boolean(env, false, &released);
#endif
  return released;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor methods[] = {
      {"flock", nullptr, Flock, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"collapseRange", nullptr, CollapseRange, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"clone", nullptr, Clone, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"getAcl", nullptr, GetAcl, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"setAcl", nullptr, SetAcl, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"mallocTrim", nullptr, MallocTrim, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
