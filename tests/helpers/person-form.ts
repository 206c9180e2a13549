/** HR's person form (/hr/people/new) for an active employee in Ops, with `fields` filled in over it. */
export const personFormFields = ({
  email,
  name,
  ...fields
}: {
  email: string;
  name: string;
  [field: string]: string;
}): Record<string, string> => ({
  email,
  name,
  employeeId: '',
  department: 'Ops',
  managerEmail: '',
  hireDate: '',
  locale: '',
  role: 'employee',
  active: 'yes',
  region: '',
  ...fields,
});
