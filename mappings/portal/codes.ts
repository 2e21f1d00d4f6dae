/**
 * Canonical values ↔ the portal's string codes (docs/domain.md). Each table is total over the canonical
 * values (`satisfies Record<…>` makes a missing value a compile error) and has an exact inverse.
 */
import type {
  APPLICANT_TYPES,
  CHANNELS,
  DossierStatus,
  ONLINE_PAYMENTS,
  RETURN_METHODS,
} from '../../schemas/dossier.js';
import type {
  PortalApplicantTypeCode,
  PortalChannelCode,
  PortalOnlinePaymentCode,
  PortalReturnCode,
  PortalStatusCode,
} from '../../schemas/portal.js';

type Channel = (typeof CHANNELS)[number];
type ApplicantType = (typeof APPLICANT_TYPES)[number];
type ReturnMethod = (typeof RETURN_METHODS)[number];
type OnlinePayment = (typeof ONLINE_PAYMENTS)[number];

/** TrangThaiHoSo / TrangThai: the canonical statuses are declared in the portal's code order. */
export const STATUS_TO_PORTAL = {
  submitted: '1',
  received: '2',
  rejected: '3',
  processing: '4',
  supplement_requested: '5',
  payment_requested: '6',
  withdrawn: '7',
  suspended: '8',
  resolved: '9',
  returned: '10',
} as const satisfies Record<DossierStatus, PortalStatusCode>;

/** KenhThucHien: 1 counter, 2 online, 3 public postal service. */
export const CHANNEL_TO_PORTAL = {
  counter: '1',
  online: '2',
  postal: '3',
} as const satisfies Record<Channel, PortalChannelCode>;

/** LoaiDoiTuong: 1 citizen, 2 business, 3 state agency, 4 other organisation. */
export const APPLICANT_TYPE_TO_PORTAL = {
  citizen: '1',
  business: '2',
  agency: '3',
  organization: '4',
} as const satisfies Record<ApplicantType, PortalApplicantTypeCode>;

/** HinhThuc (result return): 0 at the counter, 1 by the public postal service. */
export const RETURN_METHOD_TO_PORTAL = {
  counter: '0',
  postal: '1',
} as const satisfies Record<ReturnMethod, PortalReturnCode>;

/** DuocThanhToanTrucTuyen: 1 paid on the national portal, 2 through the province's or ministry's own gateway. */
export const ONLINE_PAYMENT_TO_PORTAL = {
  national_portal: '1',
  local_gateway: '2',
} as const satisfies Record<OnlinePayment, PortalOnlinePaymentCode>;

/**
 * NoiDungXuLy when the event carries no note: the portal's own name of the status, as a short sentence
 * an officer reading the portal understands.
 */
export const STATUS_DESCRIPTIONS = {
  submitted: 'Hồ sơ mới đăng ký',
  received: 'Hồ sơ được tiếp nhận',
  rejected: 'Hồ sơ không được tiếp nhận',
  processing: 'Hồ sơ đang được xử lý',
  supplement_requested: 'Yêu cầu bổ sung giấy tờ',
  payment_requested: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  withdrawn: 'Công dân yêu cầu rút hồ sơ',
  suspended: 'Dừng xử lý hồ sơ',
  resolved: 'Hồ sơ đã xử lý xong',
  returned: 'Đã trả kết quả cho công dân',
} as const satisfies Record<DossierStatus, string>;

function invert<K extends string, V extends string>(table: Record<K, V>): Record<V, K> {
  const out: Partial<Record<V, K>> = {};
  for (const [k, v] of Object.entries(table) as [K, V][]) out[v] = k;
  return out as Record<V, K>;
}

export const STATUS_FROM_PORTAL: Record<PortalStatusCode, DossierStatus> = invert(STATUS_TO_PORTAL);
export const CHANNEL_FROM_PORTAL: Record<PortalChannelCode, Channel> = invert(CHANNEL_TO_PORTAL);
export const APPLICANT_TYPE_FROM_PORTAL: Record<PortalApplicantTypeCode, ApplicantType> =
  invert(APPLICANT_TYPE_TO_PORTAL);
export const RETURN_METHOD_FROM_PORTAL: Record<PortalReturnCode, ReturnMethod> =
  invert(RETURN_METHOD_TO_PORTAL);
export const ONLINE_PAYMENT_FROM_PORTAL: Record<PortalOnlinePaymentCode, OnlinePayment> =
  invert(ONLINE_PAYMENT_TO_PORTAL);
