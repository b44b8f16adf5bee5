import { z } from 'zod';
import { portalPath } from '../portal/portal-path';
import { MedicalRecord, RecordsResponse, RecordType } from '../portal/portal-schemas';
import { defineTool } from './define-tool';

export const getMedicalRecords = defineTool({
  name: 'get_medical_records',
  title: 'Get my medical records',
  description:
    "Returns the patient's medical records from HospiAI: consultations, lab results (with values, units and reference ranges), prescriptions, imaging and vaccinations. Filter by type to answer a precise question (e.g. type=lab_result for blood tests).",
  scope: 'read:data',
  kind: 'read',
  confirmation: 'READ_GET_MEDICAL_RECORDS',
  input: {
    type: RecordType.optional().describe('Only records of this type.'),
  },
  output: { records: z.array(MedicalRecord) },
  async handle({ type }, { call }) {
    const { records } = await call({
      method: 'GET',
      path: portalPath`/records`,
      query: { type },
      schema: RecordsResponse,
    });
    return { structured: { records }, resourceIds: records.map((r) => r.id) };
  },
});
