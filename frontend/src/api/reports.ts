import { AxiosHeaders, type AxiosResponseHeaders } from 'axios';
import { readErrorBlob } from './blob-error';
import { http } from './http';
import type { components } from './generated/openapi';

// 考核与报表 (GET /api/reports/*): aliases of the generated types (to move into api/models.ts, which this feature does
// not own). Rates are fractions 0…1, null when their denominator is 0 ("no data", never 0 %); scores are points
// 0…100. Every formula: docs/reports.md.
type Schemas = components['schemas'];
/** Whole days of the center, both included, YYYY-MM-DD. */
export type ReportPeriod = Schemas['ReportPeriodResponse'];
export type AssessmentWeights = Schemas['AssessmentWeightsResponse'];
export type AssessmentFigures = Schemas['AssessmentFiguresResponse'];
export type AssessmentRow = Schemas['AssessmentRowResponse'];
export type AssessmentReport = Schemas['AssessmentReportResponse'];
export type OverdueUnitRow = Schemas['OverdueUnitRowResponse'];
export type OverdueOrderRow = Schemas['OverdueOrderRowResponse'];
export type OverdueReport = Schemas['OverdueReportResponse'];
export type ShirkingUnitRow = Schemas['ShirkingUnitRowResponse'];
export type ShirkingRuleCount = Schemas['ReportShirkingRuleCountResponse'];
export type MostReturnedOrder = Schemas['MostReturnedOrderResponse'];
export type ShirkingReport = Schemas['ShirkingReportResponse'];
export type RepeatsUnitRow = Schemas['RepeatsUnitRowResponse'];
export type HotspotRow = Schemas['ReportHotspotResponse'];
export type RepeatsReport = Schemas['RepeatsReportResponse'];
export type CallTotals = Schemas['CallsTotalsResponse'];
export type CallDay = Schemas['CallsDayResponse'];
export type CallsReport = Schemas['CallsReportResponse'];
/** A stored monthly bulletin (月通报). */
export type BulletinView = Schemas['BulletinResponse'];
export type BulletinStatus = Schemas['BulletinStatus'];

export type ReportName = 'assessment' | 'overdue' | 'shirking' | 'repeats' | 'calls';

export interface ReportByName {
  assessment: AssessmentReport;
  overdue: OverdueReport;
  shirking: ShirkingReport;
  repeats: RepeatsReport;
  calls: CallsReport;
}

/** What a report is asked for: a period and, optionally, the unit whose subtree it covers (none = the caller's scope). */
export interface ReportQuery extends ReportPeriod {
  unitId?: number | null;
}

/** A file the server sent, with the name it gave it (Content-Disposition). */
export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

/** The query string's values of a report request; an absent unit is left out (the server then uses the caller's scope). */
export function reportParams(query: ReportQuery, format?: 'xlsx' | 'pdf'): Record<string, string> {
  const params: Record<string, string> = { from: query.from, to: query.to };
  if (query.unitId !== undefined && query.unitId !== null) params.unitId = String(query.unitId);
  if (format) params.format = format;
  return params;
}

/** A report's figures as JSON. */
export function getReport<N extends ReportName>(name: N, query: ReportQuery, signal?: AbortSignal): Promise<ReportByName[N]> {
  return http.get<ReportByName[N]>(`/reports/${name}`, { params: reportParams(query), signal });
}

/** A report as an Excel workbook (`?format=xlsx`). */
export function exportReport(name: ReportName, query: ReportQuery, signal?: AbortSignal): Promise<DownloadedFile> {
  return downloadFile(`/reports/${name}`, reportParams(query, 'xlsx'), `${name}-${query.from}-${query.to}.xlsx`, signal);
}

/** The bulletin of the period as PDF (`/reports/assessment?format=pdf`), rendered on request. */
export function downloadPeriodBulletin(query: ReportQuery, signal?: AbortSignal): Promise<DownloadedFile> {
  return downloadFile('/reports/assessment', reportParams(query, 'pdf'), `bulletin-${query.from}-${query.to}.pdf`, signal);
}

/** The stored monthly bulletins, newest first as the server lists them. */
export function listBulletins(signal?: AbortSignal): Promise<BulletinView[]> {
  return http.get<BulletinView[]>('/reports/bulletins', { signal });
}

/** Generates (again) the bulletin of a month, `YYYY-MM` (supervisor, admin). */
export function generateBulletin(month: string): Promise<BulletinView> {
  return http.post<BulletinView>('/reports/bulletins', { month });
}

/** A stored bulletin's PDF. */
export function downloadBulletin(bulletin: Pick<BulletinView, 'id' | 'month'>, signal?: AbortSignal): Promise<DownloadedFile> {
  return downloadFile(`/reports/bulletins/${bulletin.id}/download`, {}, `bulletin-${bulletin.month}.pdf`, signal);
}

/**
 * The file name of a `Content-Disposition` header: the RFC 5987 `filename*=UTF-8''…` (Chinese names) before the
 * plain `filename="…"`; null when the header names none.
 */
export function fileNameFromDisposition(header: string | null | undefined): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([\w-]+)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ''));
    } catch {
      // A malformed escape: fall back to the plain name.
    }
  }
  const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(header);
  if (!plain) return null;
  const name = plain[2] !== undefined ? plain[2].replace(/\\(.)/g, '$1') : plain[1].trim();
  return name || null;
}

/** A response header by name, whatever its case. */
function headerValue(headers: AxiosResponseHeaders | undefined, name: string): string | null {
  if (!headers) return null;
  const value = AxiosHeaders.from(headers).get(name);
  return typeof value === 'string' ? value : null;
}

/**
 * GETs a file as a blob with the session's token (through the one HTTP client, so a 401 renews the session), and
 * names it from Content-Disposition. A failure's body is a blob too: it is read back as the platform's error body so
 * the user sees the server's message (e.g. a period over a year), as for JSON calls.
 */
async function downloadFile(url: string, params: Record<string, string>, fallbackName: string, signal?: AbortSignal): Promise<DownloadedFile> {
  try {
    return await http.request<DownloadedFile>(
      {
        method: 'GET',
        url,
        responseType: 'blob',
        headers: { Accept: '*/*' },
        // Runs on errors too (status ≥ 400): those keep their raw body for readErrorBlob.
        transformResponse: [
          (data: unknown, headers: AxiosResponseHeaders, status?: number) =>
            status !== undefined && status >= 400
              ? data
              : { blob: data as Blob, fileName: fileNameFromDisposition(headerValue(headers, 'content-disposition')) ?? fallbackName },
        ],
      },
      { params, signal },
    );
  } catch (error) {
    throw await readErrorBlob(error);
  }
}
