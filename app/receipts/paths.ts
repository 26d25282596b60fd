/** Where a receipt is downloaded (the routes app/routes/mon-compte.recus.$id[.]pdf.ts, porteur.recus.*). */
export const donorReceiptPath = (receiptId: number) => `/mon-compte/recus/${receiptId}.pdf`;
export const holderReceiptPath = (receiptId: number) => `/porteur/recus/${receiptId}.pdf`;
export const staffReceiptPath = (receiptId: number) => `/gestion/recus/${receiptId}.pdf`;
export const holderReceiptsPath = (year?: number) =>
  year ? `/porteur/recus?annee=${year}` : "/porteur/recus";
