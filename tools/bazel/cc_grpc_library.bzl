"""cc_grpc_library: one .proto set -> a C++ protobuf + gRPC library.

Runs Debian's protoc and grpc_cpp_plugin in a genrule (no network, no
rules_proto). Imports are resolved against `import_root`, so a proto under
protos/electrum/v1/ imports "electrum/v1/types.proto" and C++ code includes
"electrum/v1/types.pb.h".
"""

def cc_grpc_library(name, srcs, deps = [], grpc = True, import_root = "protos", visibility = None):
    """Declares `name` (cc_library) and `name_protos` (the .proto files, transitively).

    Args:
      name: the cc_library's name.
      srcs: .proto files in this package.
      deps: other cc_grpc_library targets whose protos these import.
      grpc: generate service stubs as well as messages.
      import_root: directory that proto import paths are relative to.
      visibility: passed to the generated targets.
    """
    package = native.package_name()
    stems = [src[:-len(".proto")] for src in srcs]

    native.filegroup(
        name = name + "_protos",
        srcs = srcs + [dep + "_protos" for dep in deps],
        visibility = visibility,
    )

    headers = [stem + ".pb.h" for stem in stems]
    sources = [stem + ".pb.cc" for stem in stems]
    if grpc:
        headers += [stem + ".grpc.pb.h" for stem in stems]
        sources += [stem + ".grpc.pb.cc" for stem in stems]

    own_protos = " ".join(["%s/%s" % (package, src) for src in srcs])
    grpc_flags = ""
    if grpc:
        grpc_flags = "--grpc_out=$(GENDIR)/%s --plugin=protoc-gen-grpc=/usr/bin/grpc_cpp_plugin" % import_root

    native.genrule(
        name = name + "_codegen",
        srcs = [name + "_protos"],
        outs = headers + sources,
        cmd = "protoc -I%s --cpp_out=$(GENDIR)/%s %s %s" % (
            import_root,
            import_root,
            grpc_flags,
            own_protos,
        ),
        message = "protoc " + own_protos,
    )

    native.cc_library(
        name = name,
        srcs = sources,
        hdrs = headers,
        strip_include_prefix = "/" + import_root,
        deps = [
            "//third_party:grpc",
            "//third_party:protobuf",
        ] + deps,
        visibility = visibility,
    )
