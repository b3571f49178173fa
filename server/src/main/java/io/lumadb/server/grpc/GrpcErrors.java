package io.lumadb.server.grpc;

import com.google.protobuf.Any;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.lumadb.proto.query.Error;
import io.lumadb.sql.ErrorCode;
import io.lumadb.sql.LumaException;

/**
 * Turns LumaDB's errors into gRPC statuses: the code chosen by the API error code (else by
 * the SQLSTATE class), the message as the description, and the {@link Error} message in the
 * status details (google.rpc.Status), so clients read code and SQLSTATE without parsing text.
 */
final class GrpcErrors {
  private GrpcErrors() {}

  static StatusRuntimeException toStatus(LumaException e) {
    Status.Code code = grpcCode(e);
    String message = e.getMessage() == null ? e.sqlState() : e.getMessage();
    Error error = Error.newBuilder()
        .setCode(e.code().map(Enum::name).orElse(""))
        .setSqlstate(e.sqlState())
        .setMessage(message)
        .build();
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(code.value())
        .setMessage(message)
        .addDetails(Any.pack(error))
        .build());
  }

  static Status.Code grpcCode(LumaException e) {
    if (e.code().isPresent()) {
      return switch (e.code().get()) {
        case E001 -> Status.Code.UNAUTHENTICATED;
        case E002 -> Status.Code.RESOURCE_EXHAUSTED;
        case E003, E004 -> Status.Code.INVALID_ARGUMENT;
        case E005 -> Status.Code.INTERNAL;
      };
    }
    String state = e.sqlState();
    if (state.equals("57014")) {
      return Status.Code.CANCELLED;
    }
    return switch (state.substring(0, 2)) {
      case "28" -> Status.Code.UNAUTHENTICATED;
      case "0A" -> Status.Code.UNIMPLEMENTED;
      case "25", "55" -> Status.Code.FAILED_PRECONDITION;
      case "53", "54" -> Status.Code.RESOURCE_EXHAUSTED;
      case "57", "58" -> Status.Code.UNAVAILABLE;
      case "XX" -> Status.Code.INTERNAL;
      default -> Status.Code.INVALID_ARGUMENT;
    };
  }

  static StatusRuntimeException authenticationFailed(String message) {
    return toStatus(new LumaException(ErrorCode.E001, message));
  }
}
