/** How the demo prints: numbered steps, notes, and appointments as a patient would read them. */
import type { Appointment } from '../../relay/portal/portal-schemas';

let counter = 0;

export function step(text: string): void {
  counter += 1;
  process.stdout.write(`\u001b[1m[${counter}]\u001b[0m ${text}\n`);
}

export function note(text: string): void {
  process.stdout.write(`    ${text}\n`);
}

export function formatAppointments(appointments: Appointment[]): string {
  if (appointments.length === 0) return '  No upcoming appointments.';
  return appointments
    .map((a) => {
      const when = new Date(`${a.date}T${a.time}:00`).toLocaleDateString('en-GB', {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
      });
      return `  • ${when} at ${a.time} — ${a.doctor.name} (${a.doctor.specialty}), ${a.location.hospital}\n    ${a.reason} [${a.status}]`;
    })
    .join('\n');
}
