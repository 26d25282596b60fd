/** Where receipts are read (the routes app/routes/mon-compte.recus.*, porteur.recus.*, gestion.recus.*). */
export const donorReceiptPath = (receiptId: number) => `/mon-compte/recus/${receiptId}/recu-fiscal.pdf`;
export const holderReceiptPath = (receiptId: number) => `/porteur/recus/${receiptId}/recu-fiscal.pdf`;
export const staffReceiptPath = (receiptId: number) => `/gestion/recus/${receiptId}/recu-fiscal.pdf`;
export const holderReceiptsPath = (organizationId?: number, year?: number) => {
  const q = new URLSearchParams();
  if (organizationId !== undefined) q.set("structure", String(organizationId));
  if (year !== undefined) q.set("annee", String(year));
  const s = q.toString();
  return s ? `/porteur/recus?${s}` : "/porteur/recus";
};
export const registerCsvPath = (organizationId: number, year: number) =>
  `/porteur/recus/registre.csv?structure=${organizationId}&annee=${year}`;
export const yearZipPath = (organizationId: number, year: number) =>
  `/porteur/recus/recus.zip?structure=${organizationId}&annee=${year}`;
