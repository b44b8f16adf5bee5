/** Every MCP tool of the relay. Adding a tool: one new file beside this one, one line here. */
import { bookAppointment } from './book-appointment';
import { cancelAppointment } from './cancel-appointment';
import { connectExtension } from './connect-extension';
import { connectionStatus } from './connection-status';
import { findDoctors } from './find-doctors';
import { getAppointments } from './get-appointments';
import { getAvailableSlots } from './get-available-slots';
import { getMedicalRecords } from './get-medical-records';

export const tools = [
  getAppointments,
  getMedicalRecords,
  findDoctors,
  getAvailableSlots,
  bookAppointment,
  cancelAppointment,
  connectionStatus,
  connectExtension,
] as const;
