/**
 * The sandbox's French demo data. Dates are relative to "today" (Paris) so the data always looks
 * current: upcoming appointments in the coming weeks, past ones completed.
 */
import { addDays, nearestWeekday } from './calendar';

export interface Patient {
  id: string;
  email: string;
  password: string;
  firstname: string;
  surname: string;
  name: string;
}

export interface Doctor {
  id: string;
  name: string;
  specialty: string;
  hospital: string;
  city: string;
  address: string;
}

export type AppointmentStatus = 'pending' | 'confirmed' | 'cancelled' | 'completed';
export const APPOINTMENT_STATUSES = ['pending', 'confirmed', 'cancelled', 'completed'] as const;

/** An appointment as stored: the patient and doctor by id (the API view joins the doctor). */
export interface StoredAppointment {
  id: string;
  patientId: string;
  doctorId: string;
  date: string;
  time: string;
  durationMinutes: number;
  status: AppointmentStatus;
  reason: string;
}

export const RECORD_TYPES = [
  'consultation',
  'lab_result',
  'prescription',
  'imaging',
  'vaccination',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export interface LabValue {
  name: string;
  value: number;
  unit: string;
  referenceRange?: string;
}

export interface MedicalRecord {
  id: string;
  type: RecordType;
  date: string;
  title: string;
  summary: string;
  doctor?: { id: string; name: string };
  values?: LabValue[];
}

const patient = (
  id: string,
  firstname: string,
  surname: string,
  email: string,
  password: string,
): Patient => ({
  id,
  email,
  password,
  firstname,
  surname,
  name: `${firstname} ${surname}`,
});

export const PATIENTS: readonly Patient[] = [
  patient('pat_8f3a21c4', 'Camille', 'Durand', 'camille.durand@demo.hospiai.fr', 'demo-patient-1'),
  patient('pat_2b7e90d1', 'Lucas', 'Martin', 'lucas.martin@demo.hospiai.fr', 'demo-patient-2'),
];

/** The demo logins, for tests, the demo and the CLI banner. */
export const DEMO_PATIENTS: ReadonlyArray<{
  email: string;
  password: string;
  name: string;
  id: string;
}> = PATIENTS.map(({ email, password, name, id }) => ({ email, password, name, id }));

export const DOCTORS: readonly Doctor[] = [
  {
    id: 'doc_5d1c7a20',
    name: 'Dr. Sophie Martin',
    specialty: 'Médecine générale',
    hospital: 'Hôpital Saint-Antoine (AP-HP)',
    city: 'Paris',
    address: '184 rue du Faubourg Saint-Antoine, 75012 Paris',
  },
  {
    id: 'doc_9e4b3f11',
    name: 'Dr. Jean-Luc Lefèvre',
    specialty: 'Cardiologie',
    hospital: 'Hôpital européen Georges-Pompidou (AP-HP)',
    city: 'Paris',
    address: '20 rue Leblanc, 75015 Paris',
  },
  {
    id: 'doc_3a8c6e52',
    name: 'Dr. Amélie Rousseau',
    specialty: 'Dermatologie',
    hospital: 'Hôpital Saint-Louis (AP-HP)',
    city: 'Paris',
    address: '1 avenue Claude-Vellefaux, 75010 Paris',
  },
  {
    id: 'doc_7f2d9b04',
    name: 'Dr. Karim Benali',
    specialty: 'Pédiatrie',
    hospital: 'Hôpital Femme Mère Enfant (HCL)',
    city: 'Lyon',
    address: '59 boulevard Pinel, 69500 Bron',
  },
  {
    id: 'doc_1b6e4c83',
    name: 'Dr. Hélène Garnier',
    specialty: 'Ophtalmologie',
    hospital: 'Hôpital de la Croix-Rousse (HCL)',
    city: 'Lyon',
    address: '103 grande rue de la Croix-Rousse, 69004 Lyon',
  },
  {
    id: 'doc_4c9a2e67',
    name: 'Dr. Thomas Nguyen',
    specialty: 'Endocrinologie',
    hospital: 'CHU de Bordeaux – Hôpital Haut-Lévêque',
    city: 'Pessac',
    address: '1 avenue de Magellan, 33600 Pessac',
  },
  {
    id: 'doc_8d3f5a19',
    name: 'Dr. Élodie Moreau',
    specialty: 'Médecine générale',
    hospital: 'Hôpital de la Timone (AP-HM)',
    city: 'Marseille',
    address: '264 rue Saint-Pierre, 13005 Marseille',
  },
  {
    id: 'doc_6e7b1d38',
    name: 'Dr. François Petit',
    specialty: 'Radiologie',
    hospital: 'CHU de Lille – Hôpital Roger-Salengro',
    city: 'Lille',
    address: 'Rue Émile-Laine, 59037 Lille',
  },
];

const [camille, lucas] = PATIENTS as [Patient, Patient];
const [martin, lefevre, rousseau, , garnier, nguyen, moreau, petit] = DOCTORS as [
  Doctor,
  Doctor,
  Doctor,
  Doctor,
  Doctor,
  Doctor,
  Doctor,
  Doctor,
];

/** `offset` days from today, moved to a weekday (doctors do not consult at weekends). */
const day = (today: string, offset: number) =>
  nearestWeekday(addDays(today, offset), offset >= 0 ? 1 : -1);

export function seedAppointments(today: string): StoredAppointment[] {
  const rows: Array<[string, Patient, Doctor, number, string, AppointmentStatus, string]> = [
    [
      'apt_c1a4',
      camille,
      martin,
      3,
      '10:30',
      'confirmed',
      'Consultation de suivi – renouvellement d’ordonnance',
    ],
    [
      'apt_c2b7',
      camille,
      rousseau,
      6,
      '16:00',
      'cancelled',
      'Consultation dermatologique (annulée par la patiente)',
    ],
    ['apt_c3d2', camille, lefevre, 9, '14:00', 'confirmed', 'Bilan cardiologique annuel avec ECG'],
    ['apt_c4e9', camille, rousseau, 16, '09:30', 'pending', 'Contrôle d’un grain de beauté'],
    ['apt_c5f3', camille, garnier, 24, '11:00', 'confirmed', 'Fond d’œil de contrôle'],
    ['apt_c6a8', camille, martin, -12, '15:00', 'completed', 'Syndrome grippal'],
    [
      'apt_c7b5',
      camille,
      lefevre,
      -40,
      '10:00',
      'completed',
      'Palpitations – consultation initiale',
    ],
    ['apt_l1c6', lucas, martin, 3, '11:00', 'confirmed', 'Certificat médical de sport'],
    ['apt_l2d1', lucas, nguyen, 4, '11:30', 'confirmed', 'Suivi du diabète de type 1'],
    ['apt_l3e4', lucas, moreau, 11, '10:00', 'pending', 'Douleurs lombaires'],
    ['apt_l4f7', lucas, petit, -20, '13:30', 'completed', 'IRM du genou droit'],
  ];
  return rows.map(([id, p, d, offset, time, status, reason]) => ({
    id,
    patientId: p.id,
    doctorId: d.id,
    date: day(today, offset),
    time,
    durationMinutes: 30,
    status,
    reason,
  }));
}

const by = (d: Doctor) => ({ id: d.id, name: d.name });

export function seedRecords(today: string): Map<string, MedicalRecord[]> {
  const at = (offset: number) => day(today, offset);
  const camilleRecords: MedicalRecord[] = [
    {
      id: 'rec_c01',
      type: 'consultation',
      date: at(-12),
      title: 'Consultation – syndrome grippal',
      summary:
        'Fièvre à 38,9 °C depuis 48 h, courbatures. Examen pulmonaire normal. Repos et traitement symptomatique.',
      doctor: by(martin),
    },
    {
      id: 'rec_c02',
      type: 'prescription',
      date: at(-12),
      title: 'Ordonnance – paracétamol 1 g',
      summary:
        'Paracétamol 1 g, 1 comprimé toutes les 6 heures si fièvre, maximum 4 g par jour, pendant 5 jours.',
      doctor: by(martin),
    },
    {
      id: 'rec_c03',
      type: 'lab_result',
      date: at(-13),
      title: 'Numération formule sanguine (NFS) et ferritine',
      summary: 'Hémogramme normal. Ferritine dans les valeurs de référence.',
      doctor: by(martin),
      values: [
        { name: 'Hémoglobine', value: 13.4, unit: 'g/dL', referenceRange: '12.0–16.0' },
        { name: 'Leucocytes', value: 6.8, unit: 'G/L', referenceRange: '4.0–10.0' },
        { name: 'Plaquettes', value: 245, unit: 'G/L', referenceRange: '150–400' },
        { name: 'Ferritine', value: 38, unit: 'µg/L', referenceRange: '15–150' },
      ],
    },
    {
      id: 'rec_c04',
      type: 'lab_result',
      date: at(-41),
      title: 'Bilan lipidique, glycémie et ionogramme',
      summary: 'LDL-cholestérol légèrement au-dessus de l’objectif ; reste du bilan normal.',
      doctor: by(lefevre),
      values: [
        { name: 'Glycémie à jeun', value: 5.2, unit: 'mmol/L', referenceRange: '3.9–5.5' },
        { name: 'Cholestérol total', value: 5.4, unit: 'mmol/L', referenceRange: '< 5.2' },
        { name: 'LDL-cholestérol', value: 3.3, unit: 'mmol/L', referenceRange: '< 3.0' },
        { name: 'HDL-cholestérol', value: 1.5, unit: 'mmol/L', referenceRange: '> 1.0' },
        { name: 'Triglycérides', value: 1.1, unit: 'mmol/L', referenceRange: '< 1.7' },
        { name: 'Potassium', value: 4.1, unit: 'mmol/L', referenceRange: '3.5–5.0' },
        { name: 'Créatinine', value: 68, unit: 'µmol/L', referenceRange: '45–90' },
      ],
    },
    {
      id: 'rec_c05',
      type: 'consultation',
      date: at(-40),
      title: 'Consultation de cardiologie – palpitations',
      summary:
        'Palpitations brèves au repos. ECG : rythme sinusal, 72 bpm. Échographie cardiaque demandée.',
      doctor: by(lefevre),
    },
    {
      id: 'rec_c06',
      type: 'imaging',
      date: at(-38),
      title: 'Échographie cardiaque transthoracique',
      summary: 'Ventricule gauche non dilaté, FEVG 62 %. Pas de valvulopathie significative.',
      doctor: by(lefevre),
    },
    {
      id: 'rec_c07',
      type: 'vaccination',
      date: at(-75),
      title: 'Vaccin antigrippal saisonnier',
      summary: 'Vaccin grippe saisonnière, injection intramusculaire, bras gauche. Bien toléré.',
      doctor: by(martin),
    },
    {
      id: 'rec_c08',
      type: 'vaccination',
      date: at(-400),
      title: 'Rappel dTcaPolio',
      summary: 'Rappel diphtérie, tétanos, coqueluche et poliomyélite. Prochain rappel à 45 ans.',
      doctor: by(martin),
    },
  ];
  const lucasRecords: MedicalRecord[] = [
    {
      id: 'rec_l01',
      type: 'lab_result',
      date: at(-15),
      title: 'Hémoglobine glyquée et glycémie',
      summary: 'Équilibre glycémique à améliorer.',
      doctor: by(nguyen),
      values: [
        { name: 'HbA1c', value: 7.2, unit: '%', referenceRange: '4.0–6.0' },
        { name: 'Glycémie à jeun', value: 8.1, unit: 'mmol/L', referenceRange: '3.9–5.5' },
        { name: 'Créatinine', value: 82, unit: 'µmol/L', referenceRange: '60–110' },
      ],
    },
    {
      id: 'rec_l02',
      type: 'prescription',
      date: at(-15),
      title: 'Ordonnance – insuline glargine',
      summary: 'Insuline glargine 100 U/mL, 18 unités le soir. Lecteur de glycémie et bandelettes.',
      doctor: by(nguyen),
    },
    {
      id: 'rec_l03',
      type: 'imaging',
      date: at(-20),
      title: 'IRM du genou droit',
      summary:
        'Fissure horizontale de la corne postérieure du ménisque interne. Pas d’épanchement.',
      doctor: by(petit),
    },
    {
      id: 'rec_l04',
      type: 'consultation',
      date: at(-30),
      title: 'Consultation d’endocrinologie',
      summary: 'Diabète de type 1 connu depuis 2012. Adaptation des doses d’insuline basale.',
      doctor: by(nguyen),
    },
    {
      id: 'rec_l05',
      type: 'vaccination',
      date: at(-200),
      title: 'Vaccin contre la COVID-19 (rappel)',
      summary: 'Dose de rappel, vaccin à ARNm. Bien toléré.',
    },
  ];
  return new Map([
    [camille.id, camilleRecords],
    [lucas.id, lucasRecords],
  ]);
}
