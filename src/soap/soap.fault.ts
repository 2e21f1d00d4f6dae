/**
 * SOAP 1.1 faults: the same error codes as the REST problems (docs/api-errors.md), mapped from domain
 * errors by `src/http/errors.ts` alone; a fault reason in Vietnamese and English, the failing fields in
 * `detail`, never a stack trace (docs/soap.md).
 */
import { ApiError, ERROR_TITLES, type ErrorCode, fromDomainError } from '../http/errors.js';
import { DomainError, type FieldError } from '../lib/errors.js';

/** The Vietnamese reason of each error code; the English one is the REST problem's title. */
const VI_TITLES: Record<ErrorCode, string> = {
  validation_failed: 'Dữ liệu không hợp lệ',
  malformed_json: 'Nội dung không đúng định dạng',
  bad_request: 'Yêu cầu không hợp lệ',
  unauthorized: 'Cần thông tin xác thực hợp lệ',
  forbidden: 'Không có quyền thực hiện',
  not_found: 'Không tìm thấy hồ sơ',
  route_not_found: 'Không có địa chỉ này',
  method_not_allowed: 'Phương thức không được hỗ trợ',
  conflict: 'Xung đột với trạng thái hiện tại',
  illegal_transition: 'Không được chuyển sang trạng thái này',
  idempotency_in_progress: 'Yêu cầu cùng MessageID đang được xử lý',
  idempotency_key_reused: 'MessageID đã dùng cho một yêu cầu khác',
  payload_too_large: 'Nội dung yêu cầu quá lớn',
  unsupported_media_type: 'Kiểu nội dung không được hỗ trợ',
  unprocessable: 'Không thể xử lý yêu cầu',
  internal: 'Lỗi hệ thống',
  not_implemented: 'Chưa hỗ trợ trên môi trường này',
  service_unavailable: 'Dịch vụ tạm thời không khả dụng',
  storage_unavailable: 'Cơ sở dữ liệu tạm thời không ghi được',
};

/** A fault as the `soap` package serialises it (SOAP 1.1 style, `statusCode` is the HTTP status). */
export interface SoapFault {
  Fault: {
    faultcode: string;
    faultstring: string;
    detail: {
      code: ErrorCode;
      message: string;
      requestId: string;
      errors?: { error: { path: string; rule: string; message: string }[] };
    };
    statusCode: number;
  };
}

/** The API error anything thrown answers as: domain errors by their kind, the rest as internal. */
function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DomainError) return fromDomainError(error);
  return new ApiError('internal', undefined, { cause: error });
}

/** The fault of an error; an internal error says nothing of its cause. */
export function toSoapFault(error: unknown, requestId: string): SoapFault {
  const api = toApiError(error);
  const server = api.status >= 500;
  const message =
    api.code === 'internal'
      ? 'An unexpected error occurred; quote the request id to the operators.'
      : api.message;
  const errors: FieldError[] | undefined = api.errors;
  return {
    Fault: {
      faultcode: server ? 'soap:Server' : 'soap:Client',
      faultstring: `${VI_TITLES[api.code]} / ${ERROR_TITLES[api.code]}`,
      detail: {
        code: api.code,
        message,
        requestId,
        ...(errors?.length
          ? { errors: { error: errors.map((e) => ({ path: e.path, rule: e.rule, message: e.message })) } }
          : {}),
      },
      statusCode: api.status,
    },
  };
}

/** Escapes text for an XML element's content. */
function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A whole fault envelope, for answers given before the `soap` package sees the request (a body too large,
 * a DTD, a body that is not a SOAP envelope).
 */
export function faultEnvelope(error: unknown, requestId: string): { status: number; xml: string } {
  const { Fault: f } = toSoapFault(error, requestId);
  const fields = (f.detail.errors?.error ?? [])
    .map(
      (e) =>
        `<error><path>${xmlText(e.path)}</path><rule>${xmlText(e.rule)}</rule><message>${xmlText(e.message)}</message></error>`,
    )
    .join('');
  const xml =
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>' +
    `<faultcode>${f.faultcode}</faultcode><faultstring>${xmlText(f.faultstring)}</faultstring>` +
    `<detail><code>${f.detail.code}</code><message>${xmlText(f.detail.message)}</message>` +
    `<requestId>${xmlText(requestId)}</requestId>${fields ? `<errors>${fields}</errors>` : ''}</detail>` +
    '</soap:Fault></soap:Body></soap:Envelope>';
  return { status: f.statusCode, xml };
}
